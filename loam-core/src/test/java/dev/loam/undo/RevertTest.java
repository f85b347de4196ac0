package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Cursor;
import dev.loam.Document;
import dev.loam.ExpandMark;
import dev.loam.Heads;
import dev.loam.Mark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Targeted cases of {@link Revert}: each names the edit reverted and the state it must leave. */
class RevertTest {
  private static final CommitOptions UNDO = CommitOptions.message("undo");

  private static Document doc(int actor) {
    return Document.create(ActorId.fromHex(String.format("%02x", actor).repeat(4)));
  }

  private static ChangeHash commit(Document d) {
    return d.commit().orElseThrow();
  }

  private static Optional<ChangeHash> revert(Document d, ChangeHash... hashes) {
    return Revert.revert(d, UNDO, List.of(hashes));
  }

  @Test
  void theExampleOfTheClassComment() {
    Document doc = Document.create();
    ObjId text = doc.putText(ObjId.ROOT, "text", "Hello");
    doc.commit();
    Document assistant = doc.fork();
    assistant.spliceText(text, 5, 0, ", world");
    assistant.commit();
    doc.merge(assistant);
    doc.spliceText(text, 0, 0, ">> ");
    doc.commit();
    List<ChangeHash> theirs = doc.changes().stream()
        .filter(c -> c.actor().equals(assistant.actor())).map(Change::hash).toList();
    Revert.revert(doc, CommitOptions.message("revert the assistant"), theirs);
    String result = doc.text(text); // ">> Hello"
    assertEquals(">> Hello", result);
  }

  @Test
  void revertingAPutRestoresTheOverwrittenValue() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    commit(d);
    d.put(ObjId.ROOT, "k", "B");
    ChangeHash b = commit(d);
    assertTrue(revert(d, b).isPresent());
    assertEquals("{\"k\":\"A\"}", d.toJson());
    assertEquals(Optional.of("undo"), d.change(d.heads().iterator().next()).orElseThrow().message());
  }

  @Test
  void revertingTheFirstPutOfAKeyDeletesIt() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    ChangeHash a = commit(d);
    revert(d, a);
    assertEquals("{}", d.toJson());
  }

  @Test
  void aLaterPutBySomeoneElseIsKept() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    commit(d);
    d.put(ObjId.ROOT, "k", "B");
    ChangeHash b = commit(d);
    Document other = d.fork();
    other.put(ObjId.ROOT, "k", "C");
    other.commit();
    d.merge(other);
    assertTrue(revert(d, b).isEmpty(), "nothing to undo: the key was changed since");
    assertEquals("{\"k\":\"C\"}", d.toJson());
  }

  @Test
  void aConcurrentPutBySomeoneElseWinsWhenMineIsReverted() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    commit(d);
    Document other = d.fork();
    d.put(ObjId.ROOT, "k", "B");
    ChangeHash b = commit(d);
    other.put(ObjId.ROOT, "k", "C");
    other.commit();
    d.merge(other);
    revert(d, b);
    assertEquals("{\"k\":\"C\"}", d.toJson());
    assertEquals(1, d.getAll(ObjId.ROOT, "k").size());
  }

  @Test
  void revertingADeleteRestoresTheValueUnlessSomeonePutSince() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    d.put(ObjId.ROOT, "j", "J");
    commit(d);
    d.delete(ObjId.ROOT, "k");
    d.delete(ObjId.ROOT, "j");
    ChangeHash del = commit(d);
    Document other = d.fork();
    other.put(ObjId.ROOT, "j", "theirs");
    other.commit();
    d.merge(other);
    revert(d, del);
    assertEquals("{\"j\":\"theirs\",\"k\":\"A\"}", d.toJson());
  }

  @Test
  void aDeletedNestedObjectComesBackWithItsContents() {
    Document d = doc(1);
    ObjId m = d.putObject(ObjId.ROOT, "m", ObjType.MAP);
    ObjId l = d.putObject(m, "l", ObjType.LIST);
    d.insert(l, 0, ScalarValue.of(1));
    d.insert(l, 1, ScalarValue.of("two"));
    ObjId t = d.putText(m, "t", "hi there");
    d.mark(t, 0, 2, "bold", ScalarValue.of(true), ExpandMark.AFTER);
    d.put(m, "c", new ScalarValue.Counter(3));
    commit(d);
    String before = d.toJson();
    d.delete(ObjId.ROOT, "m");
    ChangeHash del = commit(d);
    revert(d, del);
    assertEquals(before, d.toJson());
    ObjId m2 = ((dev.loam.Value.Obj) d.get(ObjId.ROOT, "m").orElseThrow()).id();
    ObjId t2 = ((dev.loam.Value.Obj) d.get(m2, "t").orElseThrow()).id();
    assertEquals(List.of(new Mark(0, 2, "bold", ScalarValue.of(true))), d.marks(t2));
  }

  @Test
  void revertingATextInsertRemovesMyCharactersWhereverTheyMoved() {
    Document d = doc(1);
    ObjId t = d.putText(ObjId.ROOT, "t", "Hello");
    commit(d);
    d.spliceText(t, 5, 0, " world");
    ChangeHash mine = commit(d);
    Document other = d.fork();
    other.spliceText(t, 0, 0, ">> ");
    other.spliceText(t, 8, 0, ",");
    other.commit();
    d.merge(other);
    assertEquals(">> Hello, world", d.text(t));
    revert(d, mine);
    assertEquals(">> Hello,", d.text(t));
  }

  @Test
  void revertingATextDeleteRestoresTheSameCharactersInPlace() {
    Document d = doc(1);
    ObjId t = d.putText(ObjId.ROOT, "t", "Hello world");
    commit(d);
    Cursor atW = d.cursor(t, 6, Cursor.Move.AFTER);
    d.spliceText(t, 5, 6, "");
    ChangeHash del = commit(d);
    Document other = d.fork();
    other.spliceText(t, 5, 0, "!");
    other.spliceText(t, 0, 0, "Oh, ");
    other.commit();
    d.merge(other);
    assertEquals("Oh, Hello!", d.text(t));
    revert(d, del);
    // the restored characters are the deleted elements themselves, in their place in list order:
    // the other's "!" went after "Hello", before the deleted " world"
    assertEquals("Oh, Hello! world", d.text(t));
    assertEquals(11, d.resolveCursor(t, atW), "the cursor names the restored 'w' itself");
  }

  @Test
  void revertingListEditsKeepsOthersElements() {
    Document d = doc(1);
    ObjId l = d.putObject(ObjId.ROOT, "l", ObjType.LIST);
    for (int i = 0; i < 4; i++) {
      d.insert(l, i, ScalarValue.of(i));
    }
    commit(d);
    d.delete(l, 1);
    d.insert(l, 0, ScalarValue.of("mine"));
    d.put(l, 3, ScalarValue.of(33));
    ChangeHash mine = commit(d);
    Document other = d.fork();
    other.insert(other.length(l) == 0 ? l : l, 1, ScalarValue.of("theirs"));
    other.commit();
    d.merge(other);
    assertEquals("{\"l\":[\"mine\",\"theirs\",0,2,33]}", d.toJson());
    revert(d, mine);
    assertEquals("{\"l\":[\"theirs\",0,1,2,3]}", d.toJson());
  }

  @Test
  void revertingAnIncrementNegatesItAndKeepsOthers() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "n", new ScalarValue.Counter(10));
    commit(d);
    d.increment(ObjId.ROOT, "n", 5);
    ChangeHash inc = commit(d);
    Document other = d.fork();
    other.increment(ObjId.ROOT, "n", 100);
    other.commit();
    d.merge(other);
    revert(d, inc);
    assertEquals(Optional.of(new ScalarValue.Counter(110)), d.get(ObjId.ROOT, "n"));
  }

  @Test
  void revertingAMarkRestoresTheMarksBeforeIt() {
    Document d = doc(1);
    ObjId t = d.putText(ObjId.ROOT, "t", "abcdefgh");
    d.mark(t, 0, 4, "bold", ScalarValue.of(true), ExpandMark.NONE);
    commit(d);
    d.mark(t, 2, 6, "bold", ScalarValue.of("x"), ExpandMark.NONE);
    d.mark(t, 6, 8, "em", ScalarValue.of(true), ExpandMark.NONE);
    ChangeHash mine = commit(d);
    revert(d, mine);
    assertEquals(List.of(new Mark(0, 4, "bold", ScalarValue.of(true))), d.marks(t));
  }

  @Test
  void aCreatedObjectIsDeletedWithItsKey() {
    Document d = doc(1);
    ObjId m = d.putObject(ObjId.ROOT, "m", ObjType.MAP);
    d.put(m, "x", 1);
    ChangeHash made = commit(d);
    Document other = d.fork();
    other.put(m, "y", 2);
    other.commit();
    d.merge(other);
    revert(d, made);
    assertEquals("{}", d.toJson());
  }

  @Test
  void revertingSeveralAtOnceEqualsRevertingThemNewestFirst() {
    Document base = doc(1);
    ObjId t = base.putText(ObjId.ROOT, "t", "");
    commit(base);
    base.put(ObjId.ROOT, "k", "A");
    base.spliceText(t, 0, 0, "abc");
    ChangeHash c1 = commit(base);
    base.put(ObjId.ROOT, "k", "B");
    base.spliceText(t, 1, 1, "");
    ChangeHash c2 = commit(base);
    base.put(ObjId.ROOT, "k", "C");
    base.spliceText(t, 2, 0, "Z");
    ChangeHash c3 = commit(base);
    Document once = base.fork();
    Document oneByOne = base.fork();
    Revert.revert(once, UNDO, List.of(c1, c3, c2));
    revert(oneByOne, c3);
    revert(oneByOne, c2);
    revert(oneByOne, c1);
    assertEquals("{\"t\":\"\"}", once.toJson());
    assertEquals(once.toJson(), oneByOne.toJson());
  }

  @Test
  void undoRedoUndoOfAPutCycles() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    commit(d);
    d.put(ObjId.ROOT, "k", "B");
    ChangeHash b = commit(d);
    ChangeHash undo = revert(d, b).orElseThrow();
    assertEquals("{\"k\":\"A\"}", d.toJson());
    ChangeHash redo = revert(d, undo).orElseThrow();
    assertEquals("{\"k\":\"B\"}", d.toJson());
    revert(d, redo).orElseThrow();
    assertEquals("{\"k\":\"A\"}", d.toJson());
  }

  @Test
  void anUnknownHashIsRejectedAndNothingIsWritten() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    ChangeHash a = commit(d);
    Heads before = d.heads();
    ChangeHash unknown = ChangeHash.of(new byte[32]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> revert(d, a, unknown));
    assertTrue(e.getMessage().contains(unknown.hex()), e.getMessage());
    assertEquals(before, d.heads());
  }

  @Test
  void revertingNothingRecordsNoChange() {
    Document d = doc(1);
    d.put(ObjId.ROOT, "k", "A");
    commit(d);
    Heads before = d.heads();
    assertTrue(Revert.revert(d, UNDO, List.of()).isEmpty());
    assertEquals(before, d.heads());
  }

  @Test
  void theRevertChangeLoadsElsewhereAndConverges() {
    Document d = doc(1);
    ObjId t = d.putText(ObjId.ROOT, "t", "Hello world");
    commit(d);
    d.spliceText(t, 0, 6, "");
    ChangeHash del = commit(d);
    Document other = d.fork();
    revert(d, del);
    other.spliceText(t, 5, 0, "!");
    other.commit();
    Document reloaded = Document.load(d.save());
    reloaded.merge(other);
    other.merge(d);
    assertEquals(reloaded.toJson(), other.toJson());
    assertEquals("{\"t\":\"Hello world!\"}", other.toJson());
    List<Change> changes = other.changes();
    assertEquals(Optional.of("undo"), changes.get(changes.size() - 1).message().or(() -> changes.get(changes.size() - 2).message()));
  }
}
