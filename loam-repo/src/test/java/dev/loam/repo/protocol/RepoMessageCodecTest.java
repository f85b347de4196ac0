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
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepoMessageCodecTest {
  private static final CBORMapper CBOR = CBORMapper.builder().build();
  private static final PeerId A = PeerId.of("peer-a");
  private static final PeerId B = PeerId.of("peer-b");
  private static final DocumentId DOC = DocumentId.parse("paDvPLpbtauLzSphGAQpT65EzH9");
  private static final Bytes DATA = Bytes.fromHex("42000001000000020284");

  @Test
  void everyMessageNamesItsTargetOrNoneForTheOtherEnd() {
    assertEquals(Optional.of(B), new Sync(A, B, DOC, DATA).target());
    assertEquals(Optional.of(B), new Peer(A, B, PeerMetadata.EPHEMERAL, "1").target());
    assertEquals(Optional.empty(), new Leave(A).target());
    assertEquals(Optional.empty(), RepoMessageCodec.decode(RepoMessageCodec.encode(
        new Join(A, PeerMetadata.EPHEMERAL, List.of("1")))).target());
  }

  @Test
  void everyMessageTypeRoundTrips() {
    StorageId s = StorageId.of("3760df37-a4c6-4f66-9ecd-732039a9385d");
    List<RepoMessage> all = List.of(
        new Join(A, PeerMetadata.persistent(s), List.of("1")),
        new Join(A, Optional.empty(), Optional.empty()),
        new Peer(B, A, PeerMetadata.EPHEMERAL, "1"),
        new Leave(A),
        new RepoMessage.Error(B, A, "unsupported protocol version"),
        new RepoMessage.Error(B, Optional.empty(), "bad"),
        new Sync(A, B, DOC, DATA),
        new Request(A, B, DOC, DATA),
        new DocUnavailable(B, A, DOC),
        new Ephemeral(A, B, DOC, "35kjvic3g83", 42, Bytes.fromHex("a0")),
        new RemoteHeadsChanged(A, B, DOC, Map.of(s, new RemoteHeads(List.of("2j9knpCseyhnK8izDmLpGP5WMdZQ"), 1_700_000_000_000L))),
        new RemoteSubscriptionChange(A, B, List.of(s), List.of()),
        new RemoteSubscriptionChange(A, B, List.of(), List.of(s)));
    for (RepoMessage m : all) {
      assertEquals(m, RepoMessageCodec.decode(RepoMessageCodec.encode(m)), m.type());
    }
  }

  @Test
  void zeroLengthDataIsNeverSentNorAccepted() {
    assertThrows(IllegalArgumentException.class, () -> new Sync(A, B, DOC, Bytes.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> new Ephemeral(A, B, DOC, "s", 1, Bytes.EMPTY));
    byte[] frame = cbor(Map.of("type", "sync", "senderId", "a", "targetId", "b", "documentId", DOC.toString(), "data", new byte[0]));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(frame));
  }

  @Test
  void integersWrittenAsFloatsAndUnknownKeysAreAccepted() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "ephemeral");
    m.put("senderId", "a");
    m.put("targetId", "b");
    m.put("documentId", DOC.toString());
    m.put("sessionId", "s");
    m.put("count", 7.0);
    m.put("data", new byte[] {(byte) 0xa0});
    m.put("somethingNew", List.of(1, 2));
    Ephemeral e = assertInstanceOf(Ephemeral.class, RepoMessageCodec.decode(cbor(m)));
    assertEquals(7, e.count());
    m.put("count", 7.5);
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(m)));
  }

  @Test
  void aDocumentIdSentAsBytesIsAccepted() {
    Map<String, Object> m = Map.of("type", "doc-unavailable", "senderId", "a", "targetId", "b",
        "documentId", DOC.bytes().toByteArray());
    assertEquals(DOC, assertInstanceOf(DocUnavailable.class, RepoMessageCodec.decode(cbor(m))).documentId());
  }

  @Test
  void anUnknownTypeDecodesWholeAndReencodesUnchanged() {
    byte[] frame = cbor(Map.of("type", "sync-reset", "senderId", "a", "targetId", "b"));
    Unknown u = assertInstanceOf(Unknown.class, RepoMessageCodec.decode(frame));
    assertEquals("sync-reset", u.type());
    assertEquals(Optional.of(PeerId.of("b")), u.targetId());
    assertEquals(Bytes.of(frame), Bytes.of(RepoMessageCodec.encode(u)));
  }

  @Test
  void malformedFramesAreProtocolExceptions() {
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(new byte[0]));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(new byte[] {(byte) 0xb9, 0}));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(List.of(1))));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(Map.of("senderId", "a"))));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(Map.of("type", "sync", "senderId", "a",
        "targetId", "b", "documentId", DOC.toString(), "data", "not bytes"))));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(Map.of("type", "sync", "senderId", "a",
        "targetId", "b", "documentId", "not-bs58check!", "data", new byte[] {1}))));
    assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(cbor(Map.of("type", "sync", "senderId", "",
        "targetId", "b", "documentId", DOC.toString(), "data", new byte[] {1}))));
  }

  @Test
  void outputUsesDefiniteLengthsAndByteStrings() {
    byte[] frame = RepoMessageCodec.encode(new Sync(A, B, DOC, DATA));
    assertEquals(0xa5, frame[0] & 0xff, "a definite map of five entries");
    String hex = HexFormat.of().formatHex(frame);
    assertEquals(true, hex.contains("6464617461" + "4a" + DATA.hex()), "data is a 10-byte byte string");
  }

  private static byte[] cbor(Object value) {
    return CBOR.writeValueAsBytes(value);
  }

  @Test
  void aFrameWithBytesAfterItsMapIsMalformedInTheProtocolsWords() {
    byte[] one = RepoMessageCodec.encode(new Leave(A));
    byte[] two = java.util.Arrays.copyOf(one, one.length * 2);
    System.arraycopy(one, 0, two, one.length, one.length);
    ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> RepoMessageCodec.decode(two));
    assertEquals("malformed message: expected one CBOR map", e.getMessage());
    org.junit.jupiter.api.Assertions.assertNotNull(e.getCause(), "the parser's details stay available for the log");
  }
}
