package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Targeted cases of {@link UndoManager}; expected states are written out by hand. */
class UndoManagerTest {
  /** A clock the test moves by hand. */
  private static final class FakeClock implements InstantSource {
    long millis = 1_000_000;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private final Document doc = Document.create(ActorId.fromHex("aaaa"));
  private final ObjId text;

  UndoManagerTest() {
    text = doc.putText(ObjId.ROOT, "t", "");
    doc.commit();
  }

  private Document collaborator() {
    Document other = doc.fork();
    other.setActor(ActorId.fromHex("bbbb"));
    return other;
  }

  @Test
  void undoAndRedoOfTypingInOneStepPerChange() {
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> tx.spliceText(text, 0, 0, "Hello"));
    undo.change(tx -> tx.spliceText(text, 5, 0, " world"));
    assertTrue(undo.undo().isPresent());
    assertEquals("Hello", doc.text(text));
    assertTrue(undo.undo().isPresent());
    assertEquals("", doc.text(text));
    assertTrue(undo.undo().isEmpty(), "nothing before the manager was built");
    assertEquals("", doc.text(text));
    undo.redo();
    assertEquals("Hello", doc.text(text));
    undo.redo();
    assertEquals("Hello world", doc.text(text));
    assertFalse(undo.canRedo());
    undo.undo();
    assertEquals("Hello", doc.text(text));
  }

  @Test
  void theExampleOfTheClassComment() {
    Document doc = Document.create();
    ObjId text = doc.putText(ObjId.ROOT, "text", "");
    doc.commit();
    UndoManager undo = UndoManager.builder().build(doc); // steps from here on
    undo.change(tx -> tx.spliceText(text, 0, 0, "Hello"));
    undo.change(tx -> tx.spliceText(text, 5, 0, " world"));
    undo.undo();   // "Hello"
    assertEquals("Hello", doc.text(text));
    undo.redo();   // "Hello world"
    assertEquals("Hello world", doc.text(text));
  }

  @Test
  void changesWithinTheCaptureWindowAreOneStep() {
    FakeClock clock = new FakeClock();
    UndoManager undo = UndoManager.builder().captureWindow(Duration.ofMillis(500)).clock(clock).build(doc);
    undo.change(tx -> tx.spliceText(text, 0, 0, "a"));
    clock.millis += 400;
    undo.change(tx -> tx.spliceText(text, 1, 0, "b"));
    clock.millis += 400;
    undo.change(tx -> tx.spliceText(text, 2, 0, "c"));
    clock.millis += 501;
    undo.change(tx -> tx.spliceText(text, 3, 0, "d"));
    clock.millis += 10;
    undo.stopCapturing();
    undo.change(tx -> tx.spliceText(text, 4, 0, "e"));
    assertEquals(3, undo.undoDepth());
    undo.undo();
    assertEquals("abcd", doc.text(text));
    undo.undo();
    assertEquals("abc", doc.text(text));
    undo.undo();
    assertEquals("", doc.text(text));
  }

  @Test
  void onlyMyChangesAreUndoneAndTheirsSurviveMerges() {
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> tx.spliceText(text, 0, 0, "Hello"));
    Document other = collaborator();
    other.spliceText(text, 5, 0, "!");
    other.put(ObjId.ROOT, "by", "bob");
    other.commit();
    undo.change(tx -> tx.spliceText(text, 0, 0, "Oh, "));
    doc.merge(other);
    assertEquals("Oh, Hello!", doc.text(text));
    undo.undo();
    assertEquals("Hello!", doc.text(text));
    undo.undo();
    assertEquals("!", doc.text(text));
    assertTrue(undo.undo().isEmpty());
    assertEquals("{\"by\":\"bob\",\"t\":\"!\"}", doc.toJson());
  }

  @Test
  void undoingADeleteRestoresTheTextAroundOthersEdits() {
    doc.spliceText(text, 0, 0, "Hello brave world");
    doc.commit();
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> tx.spliceText(text, 5, 6, ""));
    Document other = collaborator();
    other.spliceText(text, 0, 0, "Well, ");
    other.commit();
    doc.merge(other);
    assertEquals("Well, Hello world", doc.text(text));
    UndoManager.Result r = undo.undo().orElseThrow();
    assertEquals("Well, Hello brave world", doc.text(text));
    assertEquals(Optional.of(17), r.cursor().map(c -> c.index(doc)), "after the restored \" brave\"");
  }

  @Test
  void undoingAPutLeavesALaterValueOfSomeoneElse() {
    doc.put(ObjId.ROOT, "title", "Draft");
    doc.commit();
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> tx.put(ObjId.ROOT, "title", "Mine"));
    undo.change(tx -> tx.put(ObjId.ROOT, "color", "red"));
    Document other = collaborator();
    other.put(ObjId.ROOT, "title", "Theirs");
    other.commit();
    doc.merge(other);
    undo.undo();
    assertTrue(doc.get(ObjId.ROOT, "color").isEmpty());
    assertTrue(undo.undo().isEmpty(), "the title was changed since: nothing left to undo");
    assertEquals("{\"t\":\"\",\"title\":\"Theirs\"}", doc.toJson());
  }

  @Test
  void aNewEditClearsTheRedoStack() {
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> tx.spliceText(text, 0, 0, "a"));
    undo.undo();
    assertTrue(undo.canRedo());
    undo.change(tx -> tx.spliceText(text, 0, 0, "b"));
    assertFalse(undo.canRedo());
    assertTrue(undo.redo().isEmpty());
    assertEquals("b", doc.text(text));
  }

  @Test
  void changesMadeOnTheDocumentDirectlyAreCapturedButCollaboratorsAreNot() {
    UndoManager undo = UndoManager.builder().build(doc);
    doc.put(ObjId.ROOT, "k", 1);
    doc.commit();
    Document other = collaborator();
    other.put(ObjId.ROOT, "j", 2);
    other.commit();
    doc.merge(other);
    undo.capture();
    assertEquals(1, undo.undoDepth());
    undo.undo();
    assertEquals("{\"j\":2,\"t\":\"\"}", doc.toJson());
  }

  @Test
  void theDepthIsBounded() {
    UndoManager undo = UndoManager.builder().maxDepth(2).build(doc);
    for (String s : new String[] {"a", "b", "c"}) {
      undo.change(tx -> tx.spliceText(text, tx.length(text), 0, s));
    }
    assertEquals(2, undo.undoDepth());
    undo.undo();
    undo.undo();
    assertTrue(undo.undo().isEmpty());
    assertEquals("a", doc.text(text));
    assertThrows(IllegalArgumentException.class, () -> UndoManager.builder().maxDepth(0));
  }

  @Test
  void undoReturnsTheRecordedCaretAndRedoTheEndOfTheRedoneEdit() {
    doc.spliceText(text, 0, 0, "abc");
    doc.commit();
    UndoManager undo = UndoManager.builder().build(doc);
    CursorPosition caret = CursorPosition.at(doc, text, 1);
    undo.change(caret, tx -> tx.spliceText(text, 1, 0, "XYZ"));
    Document other = collaborator();
    other.spliceText(text, 0, 0, "__");
    other.commit();
    doc.merge(other);
    UndoManager.Result undone = undo.undo().orElseThrow();
    assertEquals("__abc", doc.text(text));
    assertEquals(3, undone.cursor().orElseThrow().index(doc), "between a and b, where the caret was");
    UndoManager.Result redone = undo.redo().orElseThrow();
    assertEquals("__aXYZbc", doc.text(text));
    assertEquals(6, redone.cursor().orElseThrow().index(doc), "after the redone XYZ");
  }

  @Test
  void undoOfANestedObjectEdit() {
    UndoManager undo = UndoManager.builder().build(doc);
    undo.change(tx -> {
      ObjId list = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
      tx.insert(list, 0, dev.loam.ScalarValue.of("x"));
    });
    undo.change(tx -> tx.delete(ObjId.ROOT, "items"));
    undo.undo();
    assertEquals("{\"items\":[\"x\"],\"t\":\"\"}", doc.toJson());
    undo.undo();
    assertEquals("{\"t\":\"\"}", doc.toJson());
    undo.redo();
    undo.redo();
    assertEquals("{\"t\":\"\"}", doc.toJson());
    undo.undo();
    assertEquals("{\"items\":[\"x\"],\"t\":\"\"}", doc.toJson());
  }
}
