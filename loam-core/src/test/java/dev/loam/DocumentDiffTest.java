package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contracts of {@link Document#diff} that hold whatever the history: the patch-by-patch agreement
 * with Automerge JS is checked against JS itself in {@code loam-interop} ({@code SameMergeTest}).
 */
class DocumentDiffTest {
  private static Document docWithText() {
    Document doc = Document.create(ActorId.random(new java.util.Random(1)));
    doc.put(ObjId.ROOT, "n", ScalarValue.of(1));
    ObjId text = doc.putObject(ObjId.ROOT, "t", ObjType.TEXT);
    doc.spliceText(text, 0, 0, "hello");
    doc.commit();
    return doc;
  }

  @Test
  void diffBetweenEqualHeadsIsEmpty() {
    Document doc = docWithText();
    assertEquals(List.of(), doc.diff(doc.heads(), doc.heads()));
    assertEquals(List.of(), doc.diff(Heads.EMPTY, Heads.EMPTY));
  }

  @Test
  void diffFromNothingBuildsTheDocumentObjectByObject() {
    Document doc = docWithText();
    List<Prop> t = List.of(Prop.key("t"));
    assertEquals(List.of(
        new Patch.Put(List.of(Prop.key("n")), ScalarValue.of(1), false),
        new Patch.Put(t, doc.get(ObjId.ROOT, "t").orElseThrow(), false),
        new Patch.SpliceText(List.of(Prop.key("t"), Prop.index(0)), "hello", Map.of())),
        doc.diff(Heads.EMPTY, doc.heads()));
  }

  @Test
  void diffBackwardsUndoesTheEdits() {
    Document doc = docWithText();
    Heads before = doc.heads();
    ObjId text = ((Value.Obj) doc.get(ObjId.ROOT, "t").orElseThrow()).id();
    doc.spliceText(text, 1, 3, "");
    doc.delete(ObjId.ROOT, "n");
    doc.commit();
    assertEquals(List.of(
        new Patch.Delete(List.of(Prop.key("n")), 1),
        new Patch.Delete(List.of(Prop.key("t"), Prop.index(1)), 3)),
        doc.diff(before, doc.heads()));
    assertEquals(List.of(
        new Patch.Put(List.of(Prop.key("n")), ScalarValue.of(1), false),
        new Patch.SpliceText(List.of(Prop.key("t"), Prop.index(1)), "ell", Map.of())),
        doc.diff(doc.heads(), before));
  }
}
