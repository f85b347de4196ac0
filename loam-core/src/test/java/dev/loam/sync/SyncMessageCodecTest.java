package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.Heads;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Encoding and defensive decoding of sync messages, Bloom filters and persisted sync states. */
class SyncMessageCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ChangeHash hash(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return ChangeHash.of(b);
  }

  private static List<ChangeHash> sortedHashes(Random r, int n) {
    List<ChangeHash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(hash(r));
    }
    return Heads.of(out).hashes();
  }

  static SyncMessage randomMessage(Random r) {
    List<Have> have = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      have.add(new Have(sortedHashes(r, r.nextInt(3)), BloomFilter.of(sortedHashes(r, r.nextInt(20)))));
    }
    List<Bytes> changes = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      byte[] c = new byte[r.nextInt(50)];
      r.nextBytes(c);
      changes.add(Bytes.wrap(c));
    }
    return new SyncMessage(r.nextBoolean() ? SyncMessage.Version.V1 : SyncMessage.Version.V2,
        sortedHashes(r, r.nextInt(3)), sortedHashes(r, r.nextInt(3)), have, changes,
        r.nextBoolean() ? Optional.empty() : Optional.of(new MessageFlags(r.nextInt(8))));
  }

  @Test
  void random_messages_round_trip() {
    Random r = new Random(7);
    for (int i = 0; i < 500; i++) {
      SyncMessage m = randomMessage(r);
      byte[] bytes = m.encode();
      assertEquals(m, SyncMessage.decode(bytes));
      assertArrayEquals(bytes, SyncMessage.decode(bytes).encode());
    }
  }

  @Test
  void every_truncation_of_a_message_is_a_decode_exception_or_a_shorter_valid_message() {
    Random r = new Random(11);
    for (int i = 0; i < 50; i++) {
      byte[] bytes = randomMessage(r).encode();
      for (int n = 0; n < bytes.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(bytes, n);
        try {
          SyncMessage.decode(cut);
        } catch (DecodeException expected) {
          assertTrue(expected.offset() >= 0 && expected.offset() <= n, expected.getMessage());
        }
      }
    }
  }

  @Test
  void random_garbage_never_escapes_as_anything_but_a_decode_exception() {
    Random r = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[r.nextInt(80)];
      r.nextBytes(bytes);
      if (bytes.length > 0 && r.nextBoolean()) {
        bytes[0] = (byte) (r.nextBoolean() ? 0x42 : 0x43);
      }
      try {
        SyncMessage.decode(bytes);
      } catch (DecodeException expected) {
        // fine
      }
      try {
        SyncState.decode(bytes);
      } catch (DecodeException expected) {
        // fine
      }
    }
  }

  @Test
  void flags_from_older_peers_are_read_liberally() {
    String base = "4200000000";
    assertEquals(Optional.empty(), SyncMessage.decode(HEX.parseHex(base)).flags(), "peers before 2.1.10 send no section");
    assertEquals(Optional.of(new MessageFlags(0)), SyncMessage.decode(HEX.parseHex(base + "020102")).flags(), "2.1.10–3.2.5: V1, V2");
    assertEquals(Optional.of(new MessageFlags(0)), SyncMessage.decode(HEX.parseHex(base + "0102")).flags());
    assertEquals(Optional.of(new MessageFlags(4)), SyncMessage.decode(HEX.parseHex(base + "020284")).flags());
    assertEquals(Optional.of(new MessageFlags(7)), SyncMessage.decode(HEX.parseHex(base + "03810186")).flags(), "bits of every marked byte");
    assertEquals(Optional.of(new MessageFlags(0)), SyncMessage.decode(HEX.parseHex(base + "00")).flags(), "an empty section still means v2");
    assertEquals("4200000000020284", HEX.formatHex(SyncMessage.decode(HEX.parseHex(base + "020284")).encode()));
  }

  @Test
  void a_peer_that_sent_any_flags_section_gets_v2_messages() {
    Document d = Document.create();
    SyncTesting.edit(d, new Random(1), 3);
    SyncState s = new SyncState();
    Sync.receiveSyncMessage(d, s, HEX.parseHex("4200000000020102"));
    assertTrue(s.peerSupportsV2());
    assertFalse(s.peerSupportsSyncReset());
    SyncMessage m = Sync.generateSyncMessage(d, s).orElseThrow();
    assertEquals(SyncMessage.Version.V2, m.version(), "the empty peer gets the whole document as v2");
    SyncState old = new SyncState();
    Sync.receiveSyncMessage(d, old, HEX.parseHex("42000001000000"));
    assertFalse(old.peerSupportsV2());
    SyncMessage v1 = Sync.generateSyncMessage(d, old).orElseThrow();
    assertEquals(SyncMessage.Version.V1, v1.version());
    assertEquals(3, v1.changes().size(), "one chunk per change for a v1 peer");
  }

  @Test
  void a_bloom_bitmap_whose_length_does_not_match_its_entries_is_rejected() {
    assertEquals(BloomFilter.EMPTY, BloomFilter.decode(new byte[0]));
    BloomFilter.decode(HEX.parseHex("010a07d0d2"));
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("010a07d0")), "short");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("010a07d0d2ff")), "long");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("ffffffff0f0a07d0d2")), "huge count");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("01000700")), "zero bits per entry");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("010a00d0d2")), "zero probes");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("010affffffff0fd0d2")), "absurd probes");
    assertThrows(DecodeException.class, () -> BloomFilter.decode(HEX.parseHex("01ff0107" + "00".repeat(32))), "absurd bits per entry");
  }

  @Test
  void a_wrong_bloom_in_a_message_leaves_state_and_document_untouched() {
    Document d = Document.create();
    SyncTesting.edit(d, new Random(2), 5);
    SyncState s = new SyncState();
    Heads before = d.heads();
    String stateBefore = s.toString();
    // have = 1 entry, lastSync = [], bloom of 3 bytes claiming 1 entry (needs 2 bitmap bytes)
    byte[] bad = HEX.parseHex("42000001" + "00" + "03" + "010a07" + "00");
    DecodeException e = assertThrows(DecodeException.class, () -> Sync.receiveSyncMessage(d, s, bad));
    assertTrue(e.offset() >= 0);
    assertEquals(before, d.heads());
    assertEquals(stateBefore, s.toString());
    assertFalse(s.peerSupportsV2());
  }

  @Test
  void a_message_with_a_corrupt_change_leaves_state_and_document_untouched() {
    Document d = Document.create();
    SyncTesting.edit(d, new Random(3), 5);
    Document other = Document.create();
    SyncTesting.edit(other, new Random(4), 2);
    byte[] chunk = other.changes().get(1).bytes().toByteArray();
    chunk[chunk.length - 1] ^= 0x55;
    SyncMessage m = new SyncMessage(SyncMessage.Version.V1, other.heads().hashes(), List.of(), List.of(),
        List.of(other.changes().get(0).bytes(), Bytes.wrap(chunk)), Optional.of(new MessageFlags(4)));
    SyncState s = new SyncState();
    Heads before = d.heads();
    assertThrows(DecodeException.class, () -> Sync.receiveSyncMessage(d, s, m.encode()));
    assertEquals(before, d.heads());
    assertTrue(s.theirHeads().isEmpty());
    assertFalse(s.peerSupportsV2());
  }

  @Test
  void wrong_type_bytes_are_rejected_at_offset_zero() {
    assertEquals(0, assertThrows(DecodeException.class, () -> SyncMessage.decode(HEX.parseHex("4400000000"))).offset());
    assertEquals(0, assertThrows(DecodeException.class, () -> SyncState.decode(HEX.parseHex("4200"))).offset());
    assertThrows(DecodeException.class, () -> SyncMessage.decode(new byte[0]));
    assertThrows(DecodeException.class, () -> SyncState.decode(new byte[0]));
  }

  @Test
  void hash_counts_larger_than_the_input_are_rejected_before_allocating() {
    assertThrows(DecodeException.class, () -> SyncMessage.decode(HEX.parseHex("42ffffffff0f")));
    assertThrows(DecodeException.class, () -> SyncMessage.decode(HEX.parseHex("420000ffffffff0f")));
    assertThrows(DecodeException.class, () -> SyncMessage.decode(HEX.parseHex("43000000ffffffff0f")));
    assertThrows(DecodeException.class, () -> SyncState.decode(HEX.parseHex("43ffffffff0f")));
  }

  @Test
  void sync_state_persists_only_the_shared_heads() {
    Random r = new Random(5);
    SyncState s = new SyncState();
    s.sharedHeads = sortedHashes(r, 2);
    s.inFlight = true;
    s.sentHashes.add(hash(r));
    byte[] bytes = s.encode();
    assertEquals(0x43, bytes[0]);
    assertEquals(2 + 64, bytes.length);
    SyncState back = SyncState.decode(bytes);
    assertEquals(s.sharedHeads(), back.sharedHeads());
    assertFalse(back.inFlight());
    assertTrue(back.sentHashes().isEmpty());
    assertEquals(Optional.of(List.of()), back.theirHave());
    assertTrue(back.theirHeads().isEmpty());
    assertArrayEquals(HEX.parseHex("4300"), new SyncState().encode());
  }
}
