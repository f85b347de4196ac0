package dev.loam.secure.net;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import dev.loam.secure.crypto.CryptoException;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.net.SecureMessage.Auth;
import dev.loam.secure.net.SecureMessage.Authenticated;
import dev.loam.secure.net.SecureMessage.Challenge;
import dev.loam.secure.net.SecureMessage.Items;
import dev.loam.secure.net.SecureMessage.Pull;
import dev.loam.secure.net.SecureMessage.Pulled;
import dev.loam.secure.net.SecureMessage.Push;
import dev.loam.secure.net.SecureMessage.Pushed;
import dev.loam.secure.net.SecureMessage.Rejection;
import dev.loam.secure.net.SecureProtocolException.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Reads and writes {@link SecureMessage}s as CBOR maps with text keys. Reading is strict: the
 * frame is size-checked before parsing, every required field must be present with the right kind
 * and size, lists are bounded by {@link SecureMessage#MAX_ITEMS}; anything else is a
 * {@link SecureProtocolException} whose message names the field, never the bytes. Unknown keys are
 * ignored (room for later versions). Stateless and thread-safe.
 */
final class SecureMessageCodec {
  private static final CBORMapper MAPPER = CBORMapper.builder().build();

  private SecureMessageCodec() {}

  static byte[] encode(SecureMessage message) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", message.type());
    switch (message) {
      case Challenge m -> {
        f.put("nonce", m.nonce().toByteArray());
        f.put("audience", m.audience());
      }
      case Auth m -> {
        f.put("member", m.member().toBytes());
        f.put("nonce", m.nonce().toByteArray());
        f.put("timestamp", m.timestamp());
        f.put("audience", m.audience());
        f.put("signature", m.signature().toByteArray());
      }
      case Authenticated m -> { }
      case Pull m -> {
        f.put("documentId", m.documentId().toString());
        f.put("cursor", m.cursor());
        f.put("subscribe", m.subscribe());
        f.put("requestNonce", m.requestNonce().toByteArray());
        f.put("timestamp", m.timestamp());
        f.put("audience", m.audience());
        f.put("signature", m.signature().toByteArray());
      }
      case Items m -> {
        f.put("documentId", m.documentId().toString());
        f.put("items", m.items().stream().map(s -> List.of(s.seq(), s.encoded().toByteArray())).toList());
      }
      case Pulled m -> {
        f.put("documentId", m.documentId().toString());
        f.put("cursor", m.cursor());
      }
      case Push m -> {
        f.put("documentId", m.documentId().toString());
        f.put("items", m.items().stream().map(Bytes::toByteArray).toList());
      }
      case Pushed m -> {
        f.put("documentId", m.documentId().toString());
        f.put("accepted", m.accepted());
        f.put("rejected", m.rejected().stream().map(r -> Map.of("index", r.index(), "reason", r.reason())).toList());
      }
      case SecureMessage.Error m -> f.put("message", m.message());
    }
    return MAPPER.writeValueAsBytes(f);
  }

  static SecureMessage decode(byte[] frame) {
    if (frame.length > SecureMessage.MAX_FRAME_BYTES) {
      throw new SecureProtocolException(Problem.TOO_LARGE,
          "a frame of " + frame.length + " bytes is over the limit of " + SecureMessage.MAX_FRAME_BYTES);
    }
    JsonNode root;
    try {
      root = frame.length == 0 ? null : MAPPER.readTree(frame);
    } catch (JacksonException e) {
      throw new SecureProtocolException(Problem.NOT_A_MAP, "not a CBOR map", e);
    }
    if (root == null || !root.isObject()) {
      throw new SecureProtocolException(Problem.NOT_A_MAP, "a frame holds one CBOR map");
    }
    String type = text(root, "type");
    try {
      return switch (type) {
        case "challenge" -> new Challenge(bytes(root, "nonce"), text(root, "audience"));
        case "auth" -> new Auth(key(root), bytes(root, "nonce"), integer(root, "timestamp"), text(root, "audience"),
            bytes(root, "signature"));
        case "authenticated" -> new Authenticated();
        case "pull" -> new Pull(documentId(root), integer(root, "cursor"), bool(root, "subscribe"),
            bytes(root, "requestNonce"), integer(root, "timestamp"), text(root, "audience"), bytes(root, "signature"));
        case "items" -> new Items(documentId(root), stored(root));
        case "pulled" -> new Pulled(documentId(root), integer(root, "cursor"));
        case "push" -> new Push(documentId(root), list(root, "items").stream().map(n -> binary(n, "items")).toList());
        case "pushed" -> new Pushed(documentId(root), list(root, "accepted").stream().map(n -> index(n)).toList(),
            list(root, "rejected").stream().map(SecureMessageCodec::rejection).toList());
        case "error" -> new SecureMessage.Error(text(root, "message"));
        default -> throw new SecureProtocolException(Problem.UNKNOWN_TYPE, "unknown message type "
            + (type.length() > 40 ? type.substring(0, 40) + "..." : type));
      };
    } catch (IllegalArgumentException | CryptoException e) {
      throw new SecureProtocolException(Problem.BAD_FIELD, type + " message: " + e.getMessage(), e);
    }
  }

  private static @Nullable JsonNode field(JsonNode obj, String name) {
    JsonNode n = obj.get(name);
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  private static JsonNode required(JsonNode obj, String name) {
    JsonNode n = field(obj, name);
    if (n == null) {
      throw new SecureProtocolException(Problem.MISSING_FIELD, "missing field " + name);
    }
    return n;
  }

  private static SecureProtocolException bad(String what) {
    return new SecureProtocolException(Problem.BAD_FIELD, what);
  }

  private static String text(JsonNode obj, String name) {
    JsonNode n = required(obj, name);
    if (!n.isString()) {
      throw bad("field " + name + " must be text");
    }
    return n.stringValue();
  }

  private static Bytes bytes(JsonNode obj, String name) {
    return binary(required(obj, name), name);
  }

  private static Bytes binary(JsonNode n, String name) {
    if (!n.isBinary()) {
      throw bad("field " + name + " must be a byte string");
    }
    byte[] b = n.binaryValue();
    if (b.length > SecureItem.MAX_ENCODED_BYTES) {
      throw new SecureProtocolException(Problem.TOO_LARGE, "a byte string in " + name + " is over the item limit");
    }
    return Bytes.wrap(b);
  }

  private static long integer(JsonNode obj, String name) {
    return integerValue(required(obj, name), name);
  }

  private static long integerValue(JsonNode n, String name) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw bad("field " + name + " must be an integer");
    }
    return n.longValue();
  }

  private static boolean bool(JsonNode obj, String name) {
    JsonNode n = required(obj, name);
    if (!n.isBoolean()) {
      throw bad("field " + name + " must be a boolean");
    }
    return n.booleanValue();
  }

  private static Ed25519PublicKey key(JsonNode obj) {
    Bytes b = bytes(obj, "member");
    if (b.size() != Ed25519PublicKey.LENGTH) {
      throw bad("field member must be a 32-byte Ed25519 key");
    }
    return Ed25519PublicKey.fromBytes(b.toByteArray());
  }

  private static DocumentId documentId(JsonNode obj) {
    String text = text(obj, "documentId");
    return DocumentId.tryParse(text).orElseThrow(() -> bad("field documentId is not a document id"));
  }

  private static List<JsonNode> list(JsonNode obj, String name) {
    JsonNode n = required(obj, name);
    if (!n.isArray()) {
      throw bad("field " + name + " must be an array");
    }
    if (n.size() > SecureMessage.MAX_ITEMS) {
      throw new SecureProtocolException(Problem.TOO_LARGE, "field " + name + " holds over " + SecureMessage.MAX_ITEMS
          + " entries");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  private static List<SecureStore.StoredBytes> stored(JsonNode root) {
    List<SecureStore.StoredBytes> out = new ArrayList<>();
    for (JsonNode e : list(root, "items")) {
      if (!e.isArray() || e.size() != 2) {
        throw bad("an entry of items must be [seq, bytes]");
      }
      long seq = integerValue(e.get(0), "items");
      if (seq < 1) {
        throw bad("a sequence number starts at 1");
      }
      out.add(new SecureStore.StoredBytes(seq, binary(e.get(1), "items")));
    }
    return out;
  }

  private static int index(JsonNode n) {
    long i = integerValue(n, "index");
    if (i < 0 || i >= SecureMessage.MAX_ITEMS) {
      throw bad("an index is 0 to " + (SecureMessage.MAX_ITEMS - 1));
    }
    return (int) i;
  }

  private static Rejection rejection(JsonNode n) {
    if (!n.isObject()) {
      throw bad("an entry of rejected must be a map");
    }
    return new Rejection(index(required(n, "index")), text(n, "reason"));
  }
}
