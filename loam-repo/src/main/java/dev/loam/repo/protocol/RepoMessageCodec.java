package dev.loam.repo.protocol;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.protocol.RepoMessage.DocUnavailable;
import dev.loam.repo.protocol.RepoMessage.Ephemeral;
import dev.loam.repo.protocol.RepoMessage.Join;
import dev.loam.repo.protocol.RepoMessage.Leave;
import dev.loam.repo.protocol.RepoMessage.Peer;
import dev.loam.repo.protocol.RepoMessage.RemoteHeads;
import dev.loam.repo.protocol.RepoMessage.RemoteHeadsChanged;
import dev.loam.repo.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.loam.repo.protocol.RepoMessage.Request;
import dev.loam.repo.protocol.RepoMessage.Sync;
import dev.loam.repo.protocol.RepoMessage.Unknown;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@link RepoMessage}s as automerge-repo 2.x frames them: one CBOR map with
 * text keys per binary WebSocket frame, binary fields as CBOR byte strings.
 *
 * <p>Reading is lenient where JS's {@code cbor-x} output varies and strict where the protocol is:
 * maps with non-shortest length headers, the {@code undefined} simple value (read as absent, like
 * {@code null}), unknown keys (ignored), integers written as floats, and document ids as text or
 * as a byte string are all accepted; a missing required field, a non-binary {@code data}, an empty
 * {@code data} or an empty frame is a {@link ProtocolException}. Writing is canonical CBOR with
 * definite lengths and omits absent fields. Stateless and thread-safe.
 */
final class RepoMessageCodec {
  private static final CBORMapper MAPPER = CBORMapper.builder().build();

  private RepoMessageCodec() {}

  /** The CBOR frame of {@code message}. */
  static byte[] encode(RepoMessage message) {
    if (message instanceof Unknown u) {
      return u.frame().toByteArray();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", message.type());
    fields.put("senderId", message.senderId().value());
    switch (message) {
      case Join m -> {
        putMetadata(fields, m.peerMetadata());
        m.supportedProtocolVersions().ifPresent(v -> fields.put("supportedProtocolVersions", v));
      }
      case Peer m -> {
        fields.put("targetId", m.targetId().value());
        putMetadata(fields, m.peerMetadata());
        fields.put("selectedProtocolVersion", m.selectedProtocolVersion());
      }
      case Leave m -> { }
      case RepoMessage.Error m -> {
        m.targetId().ifPresent(t -> fields.put("targetId", t.value()));
        fields.put("message", m.message());
      }
      case Sync m -> putDoc(fields, m.targetId(), m.documentId()).put("data", m.data());
      case Request m -> putDoc(fields, m.targetId(), m.documentId()).put("data", m.data());
      case DocUnavailable m -> putDoc(fields, m.targetId(), m.documentId());
      case Ephemeral m -> {
        putDoc(fields, m.targetId(), m.documentId());
        fields.put("sessionId", m.sessionId());
        fields.put("count", m.count());
        fields.put("data", m.data());
      }
      case RemoteHeadsChanged m -> {
        putDoc(fields, m.targetId(), m.documentId());
        Map<String, Object> heads = new LinkedHashMap<>();
        m.newHeads().forEach((storage, rh) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("heads", rh.heads());
          entry.put("timestamp", rh.timestamp());
          heads.put(storage.value(), entry);
        });
        fields.put("newHeads", heads);
      }
      case RemoteSubscriptionChange m -> {
        fields.put("targetId", m.targetId().value());
        if (!m.add().isEmpty()) {
          fields.put("add", m.add().stream().map(StorageId::value).toList());
        }
        if (!m.remove().isEmpty()) {
          fields.put("remove", m.remove().stream().map(StorageId::value).toList());
        }
      }
      case Unknown u -> throw new AssertionError("handled above");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      write(g, fields);
    }
    return out.toByteArray();
  }

  /**
   * The message in {@code frame}.
   *
   * @throws ProtocolException if the frame is not one CBOR map forming a valid message
   */
  static RepoMessage decode(byte[] frame) {
    if (frame.length == 0) {
      throw new ProtocolException("empty frame");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(frame);
    } catch (JacksonException e) {
      // the parser's wording names its own tokens; the cause keeps it for the log
      throw new ProtocolException("malformed message: expected one CBOR map", e);
    }
    if (root == null || !root.isObject()) {
      throw new ProtocolException("a frame must hold one CBOR map");
    }
    String type = text(root, "type");
    try {
      PeerId sender = PeerId.of(text(root, "senderId"));
      return switch (type) {
        case "join" -> new Join(sender, metadata(root), Optional.ofNullable(optStrings(root, "supportedProtocolVersions")));
        case "peer" -> new Peer(sender, target(root), metadata(root), text(root, "selectedProtocolVersion"));
        case "leave" -> new Leave(sender);
        case "error" -> new RepoMessage.Error(sender, optPeer(root), text(root, "message"));
        case "sync" -> new Sync(sender, target(root), documentId(root), data(root));
        case "request" -> new Request(sender, target(root), documentId(root), data(root));
        case "doc-unavailable" -> new DocUnavailable(sender, target(root), documentId(root));
        case "ephemeral" -> new Ephemeral(sender, target(root), documentId(root), text(root, "sessionId"),
            integer(root, "count"), data(root));
        case "remote-heads-changed" -> new RemoteHeadsChanged(sender, target(root), documentId(root), newHeads(root));
        case "remote-subscription-change" -> new RemoteSubscriptionChange(sender, target(root),
            storageIds(optStrings(root, "add")), storageIds(optStrings(root, "remove")));
        default -> new Unknown(type, sender, optPeer(root), Bytes.of(frame));
      };
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(type + " message: " + e.getMessage(), e);
    }
  }

  // ---- reading ----

  private static @Nullable JsonNode field(JsonNode obj, String name) {
    JsonNode n = obj.get(name);
    // cbor-x writes JS undefined as simple value 23; treat it, null and absence alike
    return n == null || n.isNull() || n.isMissingNode() || isUndefined(n) ? null : n;
  }

  private static boolean isUndefined(JsonNode n) {
    return n.isPojo() || (n.isEmbeddedValue() && !n.isBinary());
  }

  private static JsonNode required(JsonNode obj, String name) {
    JsonNode n = field(obj, name);
    if (n == null) {
      throw new ProtocolException("missing field " + name);
    }
    return n;
  }

  private static String text(JsonNode obj, String name) {
    JsonNode n = required(obj, name);
    if (!n.isString()) {
      throw new ProtocolException("field " + name + " must be text");
    }
    return n.stringValue();
  }

  private static PeerId target(JsonNode obj) {
    return PeerId.of(text(obj, "targetId"));
  }

  private static Optional<PeerId> optPeer(JsonNode obj) {
    return field(obj, "targetId") == null ? Optional.empty() : Optional.of(target(obj));
  }

  private static DocumentId documentId(JsonNode obj) {
    JsonNode n = required(obj, "documentId");
    if (n.isBinary()) {
      return DocumentId.of(n.binaryValue());
    }
    if (!n.isString()) {
      throw new ProtocolException("field documentId must be text or bytes");
    }
    return DocumentId.tryParse(n.stringValue())
        .orElseThrow(() -> new ProtocolException("documentId is not bs58check: " + n.stringValue()));
  }

  private static Bytes data(JsonNode obj) {
    JsonNode n = required(obj, "data");
    if (!n.isBinary()) {
      throw new ProtocolException("field data must be a byte string");
    }
    return Bytes.wrap(n.binaryValue());
  }

  private static long integer(JsonNode obj, String name) {
    JsonNode n = required(obj, name);
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= 9007199254740991.0) {
        return (long) d;
      }
    }
    throw new ProtocolException("field " + name + " must be an integer");
  }

  private static @Nullable List<String> optStrings(JsonNode obj, String name) {
    JsonNode n = field(obj, name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw new ProtocolException("field " + name + " must be an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isString()) {
        throw new ProtocolException("field " + name + " must hold text");
      }
      out.add(e.stringValue());
    }
    return out;
  }

  /** The storage ids in {@code ids}; an absent list reads as empty. */
  private static List<StorageId> storageIds(@Nullable List<String> ids) {
    return ids == null ? List.of() : ids.stream().map(StorageId::of).toList();
  }

  private static Optional<PeerMetadata> metadata(JsonNode obj) {
    JsonNode n = field(obj, "peerMetadata");
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isObject()) {
      throw new ProtocolException("field peerMetadata must be a map");
    }
    JsonNode storage = field(n, "storageId");
    JsonNode ephemeral = field(n, "isEphemeral");
    if (storage != null && !storage.isString()) {
      throw new ProtocolException("peerMetadata.storageId must be text");
    }
    if (ephemeral != null && !ephemeral.isBoolean()) {
      throw new ProtocolException("peerMetadata.isEphemeral must be a boolean");
    }
    return Optional.of(new PeerMetadata(
        storage == null || storage.stringValue().isEmpty() ? Optional.empty() : Optional.of(StorageId.of(storage.stringValue())),
        ephemeral != null && ephemeral.booleanValue()));
  }

  private static Map<StorageId, RemoteHeads> newHeads(JsonNode obj) {
    JsonNode n = required(obj, "newHeads");
    if (!n.isObject()) {
      throw new ProtocolException("field newHeads must be a map");
    }
    Map<StorageId, RemoteHeads> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      if (!v.isObject()) {
        throw new ProtocolException("newHeads entries must be maps");
      }
      List<String> heads = optStrings(v, "heads");
      out.put(StorageId.of(e.getKey()), new RemoteHeads(heads == null ? List.of() : heads, integer(v, "timestamp")));
    }
    return out;
  }

  // ---- writing ----

  private static Map<String, Object> putDoc(Map<String, Object> fields, PeerId target, DocumentId doc) {
    fields.put("targetId", target.value());
    fields.put("documentId", doc.toString());
    return fields;
  }

  private static void putMetadata(Map<String, Object> fields, Optional<PeerMetadata> metadata) {
    if (metadata.isEmpty()) {
      return;
    }
    PeerMetadata m = metadata.get();
    Map<String, Object> meta = new LinkedHashMap<>();
    m.storageId().ifPresent(id -> meta.put("storageId", id.value()));
    meta.put("isEphemeral", m.ephemeral());
    fields.put("peerMetadata", meta);
  }

  private static void write(JsonGenerator g, @Nullable Object value) {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i);
      case Bytes b -> {
        if (b.size() == 0) {
          throw new IllegalArgumentException("automerge-repo never sends zero-length data");
        }
        g.writeBinary(b.toByteArray());
      }
      case Map<?, ?> map -> {
        g.writeStartObject(map, map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeName((String) e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case List<?> list -> {
        g.writeStartArray(list, list.size());
        for (Object o : list) {
          write(g, o);
        }
        g.writeEndArray();
      }
      default -> throw new IllegalArgumentException("cannot write " + value.getClass());
    }
  }
}
