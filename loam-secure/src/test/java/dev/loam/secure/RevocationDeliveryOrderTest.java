package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revocation in every delivery order: a writer removed while it keeps writing, a writer concurrent
 * with the removal, and the remover's next envelope reach readers in all 720 orders; every reader
 * materializes the same document (what the removed writer wrote after its cutoff is in none).
 */
class RevocationDeliveryOrderTest {
  private final SecureRandom random = TestSeeds.random(99);
  private final Identity alice = Identity.generate(random);
  private final Identity bob = Identity.generate(random);
  private final Identity carol = Identity.generate(random);
  private final Identity dave = Identity.generate(random);

  private static List<SecureItem> write(SecureDocument d, String key, String value) {
    d.document().put(ObjId.ROOT, key, value);
    d.document().commit();
    return d.seal();
  }

  @Test
  void aConcurrentRemovalMaterializesTheSameDocumentInEveryArrivalOrder() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.EDIT);
    a.share(carol.memberId(), Level.EDIT);
    a.share(dave.memberId(), Level.READ);
    List<SecureItem> base = a.items();
    SecureDocument b = SecureDocument.open(bob, a.id(), base, random);
    SecureDocument c = SecureDocument.open(carol, a.id(), base, random);

    List<SecureItem> delivered = new ArrayList<>(write(c, "carol", "early, before her removal"));
    a.receive(delivered);
    delivered.addAll(a.unshare(carol.memberId()));
    delivered.addAll(write(c, "carol-late", "after her cutoff"));
    delivered.addAll(write(b, "bob", "concurrent with the removal"));
    delivered.addAll(write(a, "alice", "after the removal"));
    assertEquals(6, delivered.size());

    String expected = "{\"alice\":\"after the removal\",\"bob\":\"concurrent with the removal\","
        + "\"carol\":\"early, before her removal\"}";
    List<Identity> readers = List.of(dave, bob, alice);
    int n = 0;
    for (List<SecureItem> order : Permutations.of(delivered)) {
      Identity reader = readers.get(n++ % readers.size());
      SecureDocument d = SecureDocument.open(reader, a.id(), base, random);
      for (SecureItem item : order) {
        d.receive(List.of(item));
      }
      assertEquals(expected, d.document().toJson(), () -> "order " + order.stream().map(SecureItem::itemId).toList());
    }
    assertEquals(720, n);
  }
}
