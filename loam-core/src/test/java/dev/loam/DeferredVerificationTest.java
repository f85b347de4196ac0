package dev.loam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link LoadOptions.Builder#deferVerification}: a document loaded without hashing reads the same,
 * reports the file's heads, and once hashes are needed behaves exactly like a verified load; a file
 * whose changes do not hash to its heads fails at that point, and keeps failing.
 */
class DeferredVerificationTest {
  private static final LoadOptions DEFER = LoadOptions.builder().deferVerification(true).build();

  @TestFactory
  Stream<DynamicTest> aDeferredLoadEndsUpAsAVerifiedOne() {
    return Seeds.tests("deferred verification", seed -> {
      Document doc = SaveLoadTest.randomHistory(new Random(seed));
      byte[] saved = doc.save();
      Document verified = Document.load(saved);
      Document deferred = Document.load(saved, DEFER);
      assertEquals(verified.toJson(), deferred.toJson());
      assertEquals(verified.heads(), deferred.heads());
      // hashes needed: the same changes, the same bytes on save, the same next change
      assertEquals(verified.changes(), deferred.changes());
      assertArrayEquals(verified.save(), deferred.save());
      verified.setActor(ActorId.fromHex("cccc"));
      deferred.setActor(ActorId.fromHex("cccc"));
      verified.transact(tx -> tx.put(ObjId.ROOT, "after", 1L));
      deferred.transact(tx -> tx.put(ObjId.ROOT, "after", 1L));
      assertEquals(verified.heads(), deferred.heads());
    });
  }

  @Test
  void aFileWhoseChangesDoNotHashToItsHeadsFailsWhenHashesAreNeededAndKeepsFailing() throws Exception {
    Document doc = Document.create(ActorId.fromHex("aaaa"));
    ObjId[] text = new ObjId[1];
    doc.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    doc.transact(tx -> tx.spliceText(text[0], 0, 0, "hello"));
    byte[] bad = withFirstHeadFlipped(doc.save());

    assertThrows(DecodeException.class, () -> Document.load(bad));
    Document deferred = Document.load(bad, DEFER);
    assertEquals("hello", deferred.text(text[0]));
    assertEquals(1, deferred.heads().size());

    DecodeException first = assertThrows(DecodeException.class, deferred::changes);
    assertTrue(first.getMessage().contains("mismatching heads"), first.getMessage());
    assertSame(first, assertThrows(DecodeException.class, deferred::save));
    assertSame(first, assertThrows(DecodeException.class, deferred::heads));
    assertSame(first, assertThrows(DecodeException.class, () -> deferred.transact(tx -> tx.put(ObjId.ROOT, "k", 1L))));
  }

  /** A document chunk whose first stored head has one bit flipped, its checksum recomputed so that it still parses. */
  private static byte[] withFirstHeadFlipped(byte[] file) throws Exception {
    byte[] b = file.clone();
    int p = 9; // magic, checksum, type
    int[] len = uleb(b, p);
    p = len[1];
    int bodyStart = p;
    int[] actors = uleb(b, p);
    p = actors[1];
    for (int i = 0; i < actors[0]; i++) {
      int[] l = uleb(b, p);
      p = l[1] + l[0];
    }
    int[] heads = uleb(b, p);
    assertTrue(heads[0] >= 1);
    b[heads[1]] ^= 1;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(b, 8, bodyStart + len[0] - 8);
    System.arraycopy(sha.digest(), 0, b, 4, 4);
    return b;
  }

  /** {value, offset after it}. */
  private static int[] uleb(byte[] b, int p) {
    int v = 0;
    int shift = 0;
    while (true) {
      int x = b[p++] & 0xff;
      v |= (x & 0x7f) << shift;
      if (x < 0x80) {
        return new int[] {v, p};
      }
      shift += 7;
    }
  }
}
