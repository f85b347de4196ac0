package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors about changes that decode but do not fit the history name the offset of the offending chunk. */
class ChangeErrorOffsetTest {
  private static final ActorId A = ActorId.fromHex("aa");

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void aChangeThatReusesASeqIsReportedAtItsChunkOffset() {
    Document one = Document.create(A);
    one.transact(CommitOptions.message("one").withTime(1), tx -> tx.put(ObjId.ROOT, "x", 1));
    Document other = Document.create(A); // the same actor writing a different seq 1
    other.transact(CommitOptions.message("other").withTime(1), tx -> tx.put(ObjId.ROOT, "y", 2));
    byte[] first = one.changes().get(0).bytes().toByteArray();
    byte[] clash = other.changes().get(0).bytes().toByteArray();

    DecodeException e = assertThrows(DecodeException.class, () -> Document.load(concat(first, clash)));
    assertEquals(first.length, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("seq 1"), e.getMessage());
  }

  @Test
  void aRejectedBatchLeavesTheDocumentAsItWas() {
    Document doc = Document.create(A);
    doc.transact(CommitOptions.message("one").withTime(1), tx -> tx.put(ObjId.ROOT, "x", 1));
    Document other = Document.create(A);
    other.transact(CommitOptions.message("other").withTime(1), tx -> tx.put(ObjId.ROOT, "y", 2));
    String json = doc.toJson();
    Heads heads = doc.heads();

    DecodeException e = assertThrows(DecodeException.class,
        () -> doc.loadIncremental(other.changes().get(0).bytes().toByteArray()));
    assertEquals(0, e.offset(), e.getMessage());
    assertEquals(json, doc.toJson());
    assertEquals(heads, doc.heads());
    assertEquals(List.of(), doc.missingDeps(Heads.EMPTY));
  }
}
