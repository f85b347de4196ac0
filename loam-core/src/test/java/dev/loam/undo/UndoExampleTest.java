package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.ObjId;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.undo}'s Javadoc: my undo keeps a collaborator's edit. */
class UndoExampleTest {
  @Test
  void undoRemovesMyTypingAndKeepsTheirs() {
    Document doc = Document.create(ActorId.fromHex("aaaa"));
    ObjId text = doc.putText(ObjId.ROOT, "text", "");
    doc.commit();
    Document collaborator = doc.fork();
    collaborator.setActor(ActorId.fromHex("bbbb")); // the higher actor: its concurrent insert at 0 goes first

    // @start region="example"
    UndoManager undo = UndoManager.builder().build(doc);       // undoes this document's actor only
    undo.change(tx -> tx.spliceText(text, 0, 0, "Hello"));
    collaborator.spliceText(text, 0, 0, "Hi! ");                // someone else types, concurrently
    collaborator.commit();
    doc.merge(collaborator);                                    // doc.text(text) is "Hi! Hello"
    undo.undo();                                                // my "Hello" goes, their "Hi! " stays
    undo.redo();                                                // and "Hello" is back
    // @end
    assertEquals("Hi! Hello", doc.text(text));
    undo.undo();
    assertEquals("Hi! ", doc.text(text));
  }
}
