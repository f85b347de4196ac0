package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.ActorId;
import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.LoadOptions;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import org.junit.jupiter.api.Test;

/**
 * A document's change table says which ops each change made only through its maxOps: every op of
 * an author belongs to the author's first change whose maxOp reaches its counter, and a change's
 * ops are consecutive up to its maxOp. A table that breaks this is rejected on load, verified or
 * not, naming what it expected.
 */
class ChangeCoverageTest {
  private static final LoadOptions DEFER = LoadOptions.builder().deferVerification(true).build();

  /** One author: change 1 makes ops 1 and 2, change 2 makes op 3. */
  private static DocumentSections twoChanges() {
    Document d = Document.create(ActorId.of(new byte[] {1, 2, 3, 4}));
    d.put(ObjId.ROOT, "a", new ScalarValue.Str("x"));
    d.put(ObjId.ROOT, "b", new ScalarValue.Str("y"));
    d.commit();
    d.put(ObjId.ROOT, "c", new ScalarValue.Str("z"));
    d.commit();
    return DocumentSections.parse(ChunkReader.readAll(d.save()).get(0));
  }

  private static byte[] withMaxOps(long... maxOps) {
    DeltaColumn.Encoder e = new DeltaColumn.Encoder();
    for (long m : maxOps) {
      e.append(m);
    }
    return twoChanges().withChangeColumn(DocumentChunk.CH_MAX_OP, e.finish()).encode();
  }

  @Test
  void theUnchangedTableLoads() {
    for (LoadOptions o : new LoadOptions[] {LoadOptions.builder().build(), DEFER}) {
      Document d = Document.load(withMaxOps(2, 3), o);
      assertEquals("{\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"}", d.toJson());
      assertEquals(2, d.changes().size());
    }
  }

  @Test
  void anOpBeyondEveryMaxOpOfItsAuthorIsRejected() {
    for (LoadOptions o : new LoadOptions[] {LoadOptions.builder().build(), DEFER}) {
      DecodeException e = assertThrows(DecodeException.class, () -> Document.load(withMaxOps(2, 2), o));
      assertTrue(e.getMessage().contains("a change of its actor whose maxOp covers it"), e.getMessage());
    }
  }

  @Test
  void aChangeWhoseOpsStopShortOfItsMaxOpIsRejected() {
    for (LoadOptions o : new LoadOptions[] {LoadOptions.builder().build(), DEFER}) {
      DecodeException e = assertThrows(DecodeException.class, () -> Document.load(withMaxOps(2, 4), o));
      assertTrue(e.getMessage().contains("change 1: ops numbered consecutively up to its maxOp 4"), e.getMessage());
    }
  }

  @Test
  void opsMovedToAnotherChangeOfTheirAuthorFailVerification() {
    // change 1 ends at op 1, so change 2 holds ops 2 and 3: consecutive, so the table itself is
    // consistent, and only the re-encoded changes' hashes (against the stored heads) tell
    DecodeException e = assertThrows(DecodeException.class, () -> Document.load(withMaxOps(1, 3)));
    assertTrue(e.getMessage().contains("heads"), e.getMessage());
  }
}
