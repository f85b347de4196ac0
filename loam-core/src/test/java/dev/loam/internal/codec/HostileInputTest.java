package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.DecodeException;
import dev.loam.TruncatedInputException;
import dev.loam.internal.change.StoredChange;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damaged and hostile inputs fail with DecodeException, quickly, and never with anything else. */
class HostileInputTest {
  static final String[] SMALL = {
    "js-generated/basic.doc.automerge",
    "js-generated/concurrent.changes.bin",
    "js-generated/marks-scalars.doc.automerge",
    "upstream-rust/fixtures/two_change_chunks_compressed.automerge",
    "go-automerge-testdata/scalars.automerge",
  };

  /** Loads, or throws DecodeException; any other throwable fails the test. */
  private static void loadOrReject(byte[] file, String what) {
    try {
      Fixtures.load(file);
    } catch (DecodeException expected) {
      // fine
    } catch (Throwable t) {
      throw new AssertionError(what + ": " + t, t);
    }
  }

  @Test
  void truncationAtEveryOffsetIsReportedAsTruncatedWithTheCompletePrefix() {
    for (String f : SMALL) {
      byte[] file = Fixtures.bytes(f);
      List<Chunk> chunks = ChunkReader.readAll(file);
      for (int cut = 0; cut < file.length; cut++) {
        byte[] head = java.util.Arrays.copyOf(file, cut);
        long complete = 0;
        for (Chunk c : chunks) {
          if (c.offset() + c.storedLength() <= cut) {
            complete = c.offset() + c.storedLength();
          }
        }
        final int at = cut;
        if (cut == complete) {
          assertEquals(chunks.stream().filter(c -> c.offset() + c.storedLength() <= at).count(), ChunkReader.readAll(head).size());
          continue;
        }
        TruncatedInputException e =
            assertThrows(TruncatedInputException.class, () -> ChunkReader.readAll(head), f + " cut at " + cut);
        assertEquals(complete, e.completeLength(), f + " cut at " + cut);
        loadOrReject(head, f + " cut at " + cut);
      }
    }
  }

  @Test
  void singleBitFlipsAreRejectedCleanly() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (String f : SMALL) {
        byte[] file = Fixtures.bytes(f);
        for (int i = 0; i < 200; i++) {
          byte[] bad = file.clone();
          int bit = rnd.nextInt(bad.length * 8);
          bad[bit / 8] ^= (byte) (1 << (bit % 8));
          loadOrReject(bad, f + " seed " + seed + " bit " + bit);
        }
      }
    }
  }

  @Test
  void bitFlipsBehindAValidChecksumAreRejectedCleanly() {
    // Flip body bits, then fix the checksum, so the damage reaches the column decoders.
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (String f : SMALL) {
        for (Chunk c : ChunkReader.readAll(Fixtures.bytes(f))) {
          byte[] body = c.body();
          for (int i = 0; i < 300; i++) {
            byte[] bad = body.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
              int bit = rnd.nextInt(bad.length * 8);
              bad[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            int type = c.type() == ChunkType.DOCUMENT ? 0 : 1;
            loadOrReject(ChunkReader.wrap(type, bad, bad.length), f + " seed " + seed);
          }
        }
      }
    }
  }

  @Test
  void giantRunCountsInAChangeAreRejectedFast() {
    StoredChange c = ChangeChunk.decode(Fixtures.bytes("js-generated/basic.change.bin"));
    // Rebuild the op columns of a one-op change by hand, with an action column claiming 2^60 rows.
    ByteWriter body = new ByteWriter();
    body.writeUleb(0).writePrefixed(c.author().toByteArray()).writeUleb(1).writeUleb(1).writeSleb(0).writeString("").writeUleb(0);
    ByteWriter action = new ByteWriter();
    action.writeSleb(1L << 60).writeUleb(1);
    byte[] a = action.toByteArray();
    body.writeUleb(1).writeUleb(ChangeColumns.ACTION).writeUleb(a.length).write(a);
    byte[] bytes = body.toByteArray();
    long t0 = System.nanoTime();
    assertThrows(DecodeException.class, () -> ChangeChunk.decode(ChunkReader.wrap(1, bytes, bytes.length)));
    assertTrue(System.nanoTime() - t0 < 500_000_000L);
  }

  @Test
  void consistentButHugeRowCountsHitTheOpLimit() {
    ByteWriter body = new ByteWriter();
    body.writeUleb(0).writePrefixed(new byte[] {1}).writeUleb(1).writeUleb(1).writeSleb(0).writeString("").writeUleb(0);
    ByteWriter ins = new ByteWriter().writeUleb(1_000_000);
    ByteWriter act = new ByteWriter().writeSleb(1_000_000).writeUleb(1);
    body.writeUleb(2).writeUleb(ChangeColumns.INSERT).writeUleb(ins.size()).writeUleb(ChangeColumns.ACTION).writeUleb(act.size());
    body.write(ins).write(act);
    byte[] bytes = body.toByteArray();
    Chunk chunk = ChunkReader.readSingle(ChunkReader.wrap(1, bytes, bytes.length));
    DecodeException e = assertThrows(DecodeException.class, () -> ChangeChunk.decode(chunk, new DecodeLimits(1000, 1 << 20)));
    assertTrue(e.getMessage().contains("at most 1000"), e.getMessage());
  }

  @Test
  void giantDeclaredLengthsAreRejectedBeforeAllocating() {
    ByteWriter body = new ByteWriter();
    body.writeUleb(1L << 58); // deps count
    byte[] b = body.toByteArray();
    assertThrows(DecodeException.class, () -> ChangeChunk.decode(ChunkReader.wrap(1, b, b.length)));
    ByteWriter doc = new ByteWriter().writeUleb(1).writeUleb(Long.MAX_VALUE);
    byte[] d = doc.toByteArray();
    assertThrows(DecodeException.class, () -> DocumentChunk.decode(ChunkReader.readSingle(ChunkReader.wrap(0, d, d.length))));
  }

  @Test
  void overlongLebInAChangeIsRejected() {
    ByteWriter body = new ByteWriter();
    body.write(new byte[] {(byte) 0x80, 0x00}); // deps count 0, overlong
    byte[] b = body.toByteArray();
    assertThrows(DecodeException.class, () -> ChangeChunk.decode(ChunkReader.wrap(1, b, b.length)));
  }

  @Test
  void bundleChunkIsRejectedAsUnsupported() {
    byte[] bundle = ChunkReader.wrap(1, new byte[0], 0);
    bundle[8] = 3;
    DecodeException e = assertThrows(DecodeException.class, () -> ChunkReader.readAll(bundle));
    assertFalse(e instanceof TruncatedInputException);
    assertTrue(e.getMessage().contains("unsupported"), e.getMessage());
  }

  @Test
  void badChecksumIsCorruptionNotTruncation() {
    byte[] file = Fixtures.bytes("js-generated/basic.change.bin").clone();
    file[5] ^= 1;
    DecodeException e = assertThrows(DecodeException.class, () -> ChunkReader.readAll(file));
    assertFalse(e instanceof TruncatedInputException);
  }

  @Test
  void garbageAfterTheLastChunkIsCorruptionNotTruncation() {
    byte[] file = Fixtures.bytes("js-generated/empty.automerge");
    byte[] bad = java.util.Arrays.copyOf(file, file.length + 2);
    bad[file.length] = 0x12;
    DecodeException e = assertThrows(DecodeException.class, () -> ChunkReader.readAll(bad));
    assertFalse(e instanceof TruncatedInputException);
  }

  @Test
  void brokenZeroWidthMarkIsRejected() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> Fixtures.load(Fixtures.bytes("upstream-rust/fixtures/broken_zero_width_mark.automerge")));
    assertTrue(e.getMessage().contains("mark"), e.getMessage());
  }

  @Test
  void incorrectMaxOpIsRejectedAsMismatchingHeads() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> Fixtures.load(Fixtures.bytes("upstream-rust/fuzz-crashers/incorrect_max_op.automerge")));
    assertNotNull(e.getMessage());
  }
}
