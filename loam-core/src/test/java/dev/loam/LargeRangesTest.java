package dev.loam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Shapes whose lists are long, where an engine that assumes short ones goes quadratic: one change
 * holding every op of a text typed at random places (its ops far from counter order in the
 * document), and a counter with many increments (one op with that many successors). Both must
 * save and load to the same document and heads, and save again to the same bytes.
 */
class LargeRangesTest {
  @Test
  void oneChangeWithManyOpsOutOfDocumentOrder() {
    Document doc = Document.create(ActorId.fromHex("aaaa"));
    ObjId[] text = new ObjId[1];
    Random rnd = new Random(7);
    doc.transact(tx -> {
      text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
      for (int i = 0; i < 30_000; i++) {
        tx.spliceText(text[0], rnd.nextInt(i + 1), 0, String.valueOf((char) ('a' + rnd.nextInt(26))));
      }
    });
    roundTrip(doc);
  }

  @Test
  void aCounterWithManyIncrements() {
    Document doc = Document.create(ActorId.fromHex("aaaa"));
    doc.transact(tx -> tx.put(ObjId.ROOT, "n", new ScalarValue.Counter(0)));
    for (int i = 0; i < 3_000; i++) {
      doc.transact(tx -> tx.increment(ObjId.ROOT, "n", 1));
    }
    assertEquals(new ScalarValue.Counter(3_000), doc.get(ObjId.ROOT, "n").orElseThrow());
    roundTrip(doc);
  }

  private static void roundTrip(Document doc) {
    byte[] saved = doc.save();
    Document loaded = Document.load(saved);
    assertEquals(doc.toJson(), loaded.toJson());
    assertEquals(doc.heads(), loaded.heads());
    assertArrayEquals(saved, loaded.save());
    Document deferred = Document.load(saved, LoadOptions.builder().deferVerification(true).build());
    assertEquals(doc.changes(), deferred.changes());
  }
}
