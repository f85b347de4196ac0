package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.secure}'s Javadoc: a member reads, a stranger does not. */
class SecureExampleTest {
  @Test
  void aSharedMemberReadsTheSealedDocumentAndAStrangerReadsNothing() {
    Identity alice = Identity.generate(TestSeeds.random(11));
    Identity bob = Identity.generate(TestSeeds.random(12));
    Identity mallory = Identity.generate(TestSeeds.random(13));
    // @start region="example"
    SecureDocument doc = SecureDocument.create(alice);
    doc.document().put(ObjId.ROOT, "plan", "meet at noon");    // write as on any document
    doc.document().commit();
    doc.share(bob.memberId(), Level.READ);                     // a signed membership op
    doc.seal();                                                // encrypt and sign the changes
    List<SecureItem> items = doc.items();                      // what storage and the server hold

    SecureDocument asBob = SecureDocument.open(bob, doc.id(), items);
    String json = asBob.document().toJson();                   // {"plan":"meet at noon"}
    SecureDocument asMallory = SecureDocument.open(mallory, doc.id(), items);
    boolean malloryReads = asMallory.canRead();                // false: no key was wrapped for her
    // @end
    assertEquals("{\"plan\":\"meet at noon\"}", json);
    assertFalse(malloryReads);
    assertEquals("{}", asMallory.document().toJson());
    assertTrue(asBob.canRead());
    assertEquals(Level.READ, asBob.level().orElseThrow());
  }
}
