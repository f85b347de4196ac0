package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam}'s Javadoc: two replicas edit one text and merge. */
class DocumentExampleTest {
  @Test
  void twoReplicasEditOneTextAndMerge() {
    // @start region="example"
    Document doc = Document.create();
    ObjId title = doc.putText(ObjId.ROOT, "title", "Hello world");
    doc.commit();                                     // writes on the document commit together

    Document other = Document.load(doc.save());       // a replica, from Automerge's file format
    doc.spliceText(title, 6, 5, "Loam");              // "world" -> "Loam"
    doc.commit();
    other.transact(tx -> tx.put(ObjId.ROOT, "done", true));

    doc.merge(other);                                 // both edits survive
    String json = doc.toJson();                       // {"done":true,"title":"Hello Loam"}
    // @end
    assertEquals("{\"done\":true,\"title\":\"Hello Loam\"}", json);
    assertEquals(2, doc.heads().size(), "two concurrent changes, not yet merged by a third");
  }
}
