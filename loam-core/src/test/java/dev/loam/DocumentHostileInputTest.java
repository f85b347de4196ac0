package dev.loam;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes through the public API ({@code load}, {@code loadIncremental}, {@code
 * applyChanges}): only {@link DecodeException}, with an offset and an expectation; a rejected input
 * leaves the document as it was; declared lengths and counts never drive allocation or time.
 */
class DocumentHostileInputTest {
  private static final String[] FILES = {
    "js-generated/marks-scalars.changes.bin",
    "js-generated/concurrent.changes.bin",
    "js-generated/longtext.doc.automerge",
    "upstream-rust/fixtures/two_change_chunks_compressed.automerge",
  };

  static byte[] fixture(String path) {
    try (InputStream in = DocumentHostileInputTest.class.getResourceAsStream("/fixtures/" + path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a caller can observe of a document. */
  private record State(String json, Heads heads, byte[] saved, int changes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.json.equals(json) && s.heads.equals(heads) && Arrays.equals(s.saved, saved)
          && s.changes == changes;
    }

    @Override
    public int hashCode() {
      return json.hashCode();
    }
  }

  private static State state(Document d) {
    return new State(d.toJson(), d.heads(), d.save(), d.changes().size());
  }

  private static Document base() {
    Document d = Document.load(fixture("js-generated/basic.doc.automerge"));
    d.put(ObjId.ROOT, "local", new ScalarValue.Str("edit"));
    d.commit();
    return d;
  }

  private static void assertWellFormed(DecodeException e, String what) {
    assertNotNull(e.expected(), what);
    assertFalse(e.expected().isBlank(), what);
    assertTrue(e.offset() >= -1, what);
  }

  @Test
  void aRejectedLoadIncrementalOrApplyLeavesTheDocumentUnchanged() {
    Document d = base();
    State before = state(d);
    int rejected = 0;
    for (String f : FILES) {
      byte[] good = fixture(f);
      for (int i = 0; i < good.length; i += Math.max(1, good.length / 97)) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << (i % 8));
        String what = f + " bit flip at " + i;
        for (int api = 0; api < 2; api++) {
          Document copy = d.fork();
          State copyBefore = state(copy);
          try {
            if (api == 0) {
              copy.loadIncremental(bad);
            } else {
              copy.applyChanges(List.of(bad));
            }
          } catch (DecodeException e) {
            assertWellFormed(e, what);
            assertEquals(copyBefore, state(copy), what + ": document changed by a rejected input");
            rejected++;
          }
        }
      }
    }
    assertTrue(rejected > 100, "only " + rejected + " inputs were rejected");
    assertEquals(before, state(d));
  }

  @Test
  void oneBadChunkAmongGoodOnesRejectsTheWholeBatch() {
    Document d = base();
    State before = state(d);
    List<byte[]> batch = new ArrayList<>();
    batch.add(fixture("js-generated/basic.change.bin"));
    byte[] broken = fixture("js-generated/marks-scalars.changes.bin");
    broken[broken.length - 3] ^= 0x40;
    batch.add(broken);
    assertThrows(DecodeException.class, () -> d.applyChanges(batch));
    assertEquals(before, state(d));
  }

  @Test
  void aChangeReusingAnotherChangesSeqIsRejectedAndChangesNothing() {
    Document a = Document.create(ActorId.fromHex("aa"));
    a.put(ObjId.ROOT, "x", new ScalarValue.Int(1));
    a.commit();
    Document b = Document.create(ActorId.fromHex("aa"));
    b.put(ObjId.ROOT, "x", new ScalarValue.Int(2));
    b.commit();
    State before = state(a);
    byte[] clash = b.saveChanges();
    assertThrows(DecodeException.class, () -> a.applyChanges(List.of(clash)));
    assertEquals(before, state(a));
  }

  @Test
  void hugeDeclaredLengthsAndCountsFailFastWithoutAllocating() {
    // chunk length 2^62
    byte[] hugeChunk = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 0, 0, 0, 0, 0,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
    // a document chunk claiming 2^35 actors in a 6-byte body (checksum is checked after the body)
    byte[] manyActors = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 0, 0, 0, 0, 0, 6,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (byte[] bad : List.of(hugeChunk, manyActors)) {
        DecodeException e = assertThrows(DecodeException.class, () -> Document.load(bad));
        assertWellFormed(e, "huge");
        Document d = base();
        State before = state(d);
        try {
          d.loadIncremental(bad);
        } catch (DecodeException expected) {
          assertWellFormed(expected, "huge incremental");
        }
        assertEquals(before, state(d));
      }
    });
  }

  @Test
  void aDocumentChunkClaimingManyActorsIsRejectedEvenWithAValidChecksum() throws Exception {
    byte[] body = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 0, 0, 0};
    byte[] chunk = chunk(0, body);
    DecodeException e = assertThrows(DecodeException.class, () -> Document.load(chunk));
    assertTrue(e.offset() >= 0, "offset " + e.offset());
  }

  @Test
  void changesWhoseDependenciesNeverArriveDoNotLoadStrictlyAndWaitIncrementally() {
    byte[] all = fixture("js-generated/concurrent.changes.bin");
    Document full = Document.load(all);
    List<Change> changes = full.changes();
    // everything except the first change: every other change depends on it, transitively
    java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
    for (Change c : changes.subList(1, changes.size())) {
      rest.writeBytes(c.bytes().toByteArray());
    }
    byte[] orphans = rest.toByteArray();
    assertThrows(DecodeException.class, () -> Document.load(orphans));
    Document d = Document.create();
    LoadResult r = d.loadIncremental(orphans);
    assertEquals(0, r.applied());
    assertEquals(changes.size() - 1, r.pending());
    assertEquals(Heads.EMPTY, d.heads());
    // the withheld change arrives: everything applies
    d.applyChanges(List.of(changes.get(0).bytes().toByteArray()));
    assertEquals(full.heads(), d.heads());
    assertEquals(full.toJson(), d.toJson());
  }

  @Test
  void theInflationLimitIsConfigurable() {
    byte[] longText = fixture("js-generated/longtext.doc.automerge");
    Document.load(longText, LoadOptions.DEFAULT);
    DecodeException e = assertThrows(DecodeException.class,
        () -> Document.load(longText, LoadOptions.builder().maxInflatedBytes(64).build()));
    assertTrue(e.offset() > 0, "offset " + e.offset());
    Document d = Document.load(fixture("js-generated/basic.doc.automerge"), LoadOptions.builder().maxInflatedBytes(64).build());
    State before = state(d);
    assertThrows(DecodeException.class, () -> d.loadIncremental(longText));
    assertEquals(before, state(d));
    assertThrows(DecodeException.class, () -> Document.load(fixture("js-generated/concurrent.changes.bin"),
        LoadOptions.builder().maxOpsPerChunk(1).build()));
  }

  /** A chunk with a correct checksum around {@code body}. */
  static byte[] chunk(int type, byte[] body) throws Exception {
    java.io.ByteArrayOutputStream hashed = new java.io.ByteArrayOutputStream();
    hashed.write(type);
    long n = body.length;
    do {
      int b = (int) (n & 0x7f);
      n >>>= 7;
      hashed.write(n == 0 ? b : b | 0x80);
    } while (n != 0);
    hashed.writeBytes(body);
    byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(hashed.toByteArray());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, h[0], h[1], h[2], h[3]});
    out.writeBytes(hashed.toByteArray());
    return out.toByteArray();
  }
}
