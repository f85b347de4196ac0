package dev.loam.repo.net;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.protocol.RepoMessage.Ephemeral;
import dev.loam.repo.protocol.RepoMessage.Join;
import dev.loam.repo.protocol.RepoMessage.Peer;
import dev.loam.repo.protocol.RepoMessage.Request;
import dev.loam.repo.protocol.RepoMessage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame a JS client and a JS sync server exchanged decodes, and re-encodes to CBOR that
 * decodes to the same structure (cbor-x's 16-bit map headers and {@code undefined} values are not
 * reproduced byte for byte; the structures are compared instead).
 */
class WebSocketFramesFixtureTest {
  private static final CBORMapper CBOR = CBORMapper.builder().build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  record Frame(int index, String dir, byte[] bytes, JsonNode decoded) {}

  static List<Frame> frames() throws IOException {
    try (InputStream in = WebSocketFramesFixtureTest.class.getResourceAsStream("/automerge-repo/websocket-frames.json")) {
      JsonNode root = JSON.readTree(in);
      List<Frame> out = new ArrayList<>();
      int i = 0;
      for (JsonNode f : root.get("frames")) {
        out.add(new Frame(i++, f.get("dir").stringValue(), HexFormat.of().parseHex(f.get("hex").stringValue()), f.get("decoded")));
      }
      return out;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyFrameDecodesAndReencodesToTheSameStructure() throws IOException {
    return frames().stream().map(f -> DynamicTest.dynamicTest(f.index() + " " + f.dir() + " " + f.decoded().get("type").stringValue(), () -> {
      RepoMessage m = RepoMessage.decode(f.bytes());
      assertFalse(m instanceof RepoMessage.Unknown, "a known type");
      assertEquals(f.decoded().get("type").stringValue(), m.type());
      byte[] again = m.encode();
      assertEquals(normalise(CBOR.readTree(f.bytes())), normalise(CBOR.readTree(again)));
      assertEquals(expectedFromFixtureJson(f.decoded()), normalise(CBOR.readTree(again)));
      assertEquals(m, RepoMessage.decode(again));
    }));
  }

  @Test
  void theJoinCarriesAnUndefinedStorageIdThatReadsAsAbsent() throws IOException {
    Frame join = frames().get(0);
    assertTrue(HexFormat.of().formatHex(join.bytes()).contains("6973746f726167654964f7"), "the fixture holds storageId: undefined");
    Join m = assertInstanceOf(Join.class, RepoMessage.decode(join.bytes()));
    assertEquals(Optional.empty(), m.peerMetadata().orElseThrow().storageId());
    assertTrue(m.peerMetadata().orElseThrow().ephemeral());
    assertEquals(Optional.of(List.of("1")), m.supportedProtocolVersions());
    Peer peer = assertInstanceOf(Peer.class, RepoMessage.decode(frames().get(1).bytes()));
    assertEquals("client-peer", peer.targetId().value());
    assertEquals("1", peer.selectedProtocolVersion());
  }

  @Test
  void theRequestAndEphemeralFieldsDecode() throws IOException {
    Request r = assertInstanceOf(Request.class, RepoMessage.decode(frames().get(2).bytes()));
    assertEquals(DocumentId.parse("2j9knpCseyhnK8izDmLpGP5WMdZQ"), r.documentId());
    assertEquals(Bytes.fromHex("42000001000000020284"), r.data());
    Ephemeral e = assertInstanceOf(Ephemeral.class, RepoMessage.decode(frames().get(11).bytes()));
    assertEquals(1, e.count());
    assertEquals("35kjvic3g83", e.sessionId());
    assertEquals(Map.of("cursor", 3), CBOR.readValue(e.data().toByteArray(), Map.class));
  }

  /** Drops null/undefined members, so absent and undefined compare equal. */
  static JsonNode normalise(JsonNode n) {
    if (n.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        JsonNode v = e.getValue();
        if (v.isNull() || v.isMissingNode() || v.isPojo() || (v.isEmbeddedValue() && !v.isBinary())) {
          continue;
        }
        out.set(e.getKey(), normalise(v));
      }
      return out;
    }
    if (n.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : n) {
        out.add(normalise(e));
      }
      return out;
    }
    if (n.isIntegralNumber()) {
      return JsonNodeFactory.instance.numberNode(n.longValue());
    }
    return n;
  }

  /** The fixture's JSON with {@code data} hex turned back into bytes. */
  static JsonNode expectedFromFixtureJson(JsonNode decoded) {
    ObjectNode copy = (ObjectNode) normalise(decoded);
    if (copy.has("data")) {
      copy.put("data", HexFormat.of().parseHex(copy.get("data").stringValue()));
    }
    return copy;
  }
}
