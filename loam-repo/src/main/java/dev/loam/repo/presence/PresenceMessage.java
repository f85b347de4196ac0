package dev.loam.repo.presence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * One automerge-repo presence message, the payload of an ephemeral message:
 * <pre>
 *   { "__presence": { "type": "snapshot",  "state": {channel: value, ...} } }
 *   { "__presence": { "type": "update",    "channel": "cursor", "value": any } }
 *   { "__presence": { "type": "heartbeat" } }
 *   { "__presence": { "type": "goodbye" } }
 * </pre>
 * as one CBOR map (automerge-repo encodes it with cbor-x). Values are plain trees: maps with string
 * keys, lists, strings, numbers, booleans, byte arrays and null.
 */
sealed interface PresenceMessage {
  /** The key that marks an ephemeral message as a presence message. */
  String MARKER = "__presence";
  CBORMapper MAPPER = CBORMapper.builder().build();

  /** A peer's whole state. */
  record Snapshot(Map<String, @Nullable Object> state) implements PresenceMessage {}

  /** One channel of a peer's state. */
  record Update(String channel, @Nullable Object value) implements PresenceMessage {}

  /** A peer is still here. */
  record Heartbeat() implements PresenceMessage {}

  /** A peer is leaving. */
  record Goodbye() implements PresenceMessage {}

  /**
   * This message as CBOR.
   *
   * @throws IllegalArgumentException if a value is not a plain tree
   */
  default byte[] encode() {
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    switch (this) {
      case Snapshot s -> {
        requirePlain(s.state(), "state");
        body.put("type", "snapshot");
        body.put("state", s.state());
      }
      case Update u -> {
        requirePlain(u.value(), u.channel());
        body.put("type", "update");
        body.put("channel", u.channel());
        body.put("value", u.value());
      }
      case Heartbeat h -> body.put("type", "heartbeat");
      case Goodbye g -> body.put("type", "goodbye");
    }
    try {
      return MAPPER.writeValueAsBytes(Map.of(MARKER, body));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("a presence value is not a plain tree of maps, lists and scalars: "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Checks that {@code value} is a plain tree: null, a string, a boolean, an integer or floating
   * number of a standard type, a byte array, a list of plain trees, or a map from strings to them.
   *
   * @throws IllegalArgumentException naming the path to the first value that is not
   */
  static void requirePlain(@Nullable Object value, String path) {
    switch (value) {
      case null -> { }
      case String s -> { }
      case Boolean b -> { }
      case Integer i -> { }
      case Long l -> { }
      case Short s -> { }
      case Byte b -> { }
      case Double d -> { }
      case Float f -> { }
      case java.math.BigInteger b -> { }
      case byte[] bytes -> { }
      case java.util.List<?> list -> {
        for (int i = 0; i < list.size(); i++) {
          requirePlain(list.get(i), path + "[" + i + "]");
        }
      }
      case Map<?, ?> map -> {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("presence value " + path + " has a key that is not a string: " + e.getKey());
          }
          requirePlain(e.getValue(), path + "." + key);
        }
      }
      default -> throw new IllegalArgumentException("presence value " + path + " is a " + value.getClass().getName()
          + ", not a map, list, string, number, boolean, byte array or null");
    }
  }

  /**
   * The presence message in {@code cbor}, or empty if it is not one (another app's ephemeral
   * message, or malformed: a presence message of an unknown type, a snapshot whose state is not a
   * map, an update without a string channel).
   */
  static Optional<PresenceMessage> decode(byte[] cbor) {
    Object tree;
    try {
      tree = MAPPER.readValue(cbor, Object.class);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (!(tree instanceof Map<?, ?> envelope) || !(envelope.get(MARKER) instanceof Map<?, ?> body)) {
      return Optional.empty();
    }
    Object type = body.get("type");
    if ("heartbeat".equals(type)) {
      return Optional.of(new Heartbeat());
    } else if ("goodbye".equals(type)) {
      return Optional.of(new Goodbye());
    } else if ("update".equals(type) && body.get("channel") instanceof String channel) {
      return Optional.of(new Update(channel, body.get("value")));
    } else if ("snapshot".equals(type) && body.get("state") instanceof Map<?, ?> state) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : state.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return Optional.empty();
        }
        copy.put(key, e.getValue());
      }
      return Optional.of(new Snapshot(copy));
    }
    return Optional.empty();
  }
}
