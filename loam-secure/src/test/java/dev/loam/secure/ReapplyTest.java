package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule 4's last sentence: an honest editor whose edits were built on a revoked author's late
 * changes re-applies its own edits as fresh changes once it learns of the removal, and every
 * replica converges on the result in every delivery order.
 */
class ReapplyTest {
  private final SecureRandom random = TestSeeds.random(11);
  private final Identity alice = Identity.generate(random);
  private final Identity mallory = Identity.generate(random);
  private final Identity carol = Identity.generate(random);
  private final Identity dave = Identity.generate(random);

  /** Carol's document once she knows of Mallory's removal: her edits without Mallory's late text. */
  private static final String EXPECTED =
      "{\"carol\":\"sealed edit\",\"carol-later\":\"unsealed edit\",\"notes\":\"Oh, Hello-!\",\"title\":\"Plan B\"}";

  @Test
  void carolsEditsOnMallorysLateTextComeBackAsFreshChangesAndEveryoneConverges() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(mallory.memberId(), Level.EDIT);
    a.share(carol.memberId(), Level.EDIT);
    a.share(dave.memberId(), Level.READ);
    a.document().put(ObjId.ROOT, "title", "Plan");
    a.document().spliceText(a.document().putObject(ObjId.ROOT, "notes", ObjType.TEXT), 0, 0, "Hello");
    a.document().commit();
    a.seal();
    List<SecureItem> base = a.items();
    SecureDocument m = SecureDocument.open(mallory, a.id(), base, random);
    SecureDocument c = SecureDocument.open(carol, a.id(), base, random);

    List<SecureItem> removal = a.unshare(mallory.memberId());
    // Mallory, not yet knowing (or ignoring) her removal, writes outside the cutoff
    Document md = m.document();
    ObjId notes = md.get(ObjId.ROOT, "notes").map(v -> ((dev.loam.Value.Obj) v).id()).orElseThrow();
    md.put(ObjId.ROOT, "mallory", "late");
    md.putObject(ObjId.ROOT, "box", ObjType.MAP);
    md.spliceText(notes, 5, 0, " world");
    md.commit();
    List<SecureItem> late = m.seal();

    // Carol, who has not heard of the removal, builds on Mallory's late changes
    c.receive(late);
    Document cd = c.document();
    assertEquals("{\"box\":{},\"mallory\":\"late\",\"notes\":\"Hello world\",\"title\":\"Plan\"}", cd.toJson());
    ObjId box = cd.get(ObjId.ROOT, "box").map(v -> ((dev.loam.Value.Obj) v).id()).orElseThrow();
    cd.put(ObjId.ROOT, "carol", "sealed edit");
    cd.put(ObjId.ROOT, "title", "Plan B");
    cd.put(box, "inner", "lost with the box");
    cd.commit();
    cd.spliceText(notes, 11, 0, "!"); // after Mallory's "d"
    cd.spliceText(notes, 0, 0, "Oh, ");
    cd.commit();
    List<SecureItem> carolsFirst = c.seal();
    cd.put(ObjId.ROOT, "carol-later", "unsealed edit");
    cd.spliceText(notes, 12, 0, "-"); // inside Mallory's " world": "Oh, Hello wo-rld!"
    cd.commit();
    assertEquals("{\"box\":{\"inner\":\"lost with the box\"},\"carol\":\"sealed edit\",\"carol-later\":\"unsealed edit\","
        + "\"mallory\":\"late\",\"notes\":\"Oh, Hello wo-rld!\",\"title\":\"Plan B\"}", cd.toJson());
    ActorId before = cd.actor();

    c.receive(removal);
    Document rebuilt = c.document();
    assertNotEquals(before, rebuilt.actor(), "rebuilt under a fresh actor");
    assertEquals(EXPECTED, rebuilt.toJson());
    List<Change> fresh = rebuilt.changes().stream().filter(ch -> ch.actor().equals(rebuilt.actor())).toList();
    assertEquals(3, fresh.size(), "Carol's three changes, which all depended on Mallory's, re-applied as fresh ones");
    assertTrue(BoundActor.isBound(rebuilt.actor(), carol.signingKey().publicKey()));

    List<SecureItem> resealed = c.seal();
    assertFalse(resealed.isEmpty());
    for (SecureItem item : resealed) {
      assertTrue(c.log().isValid(((Envelope) item).id()), "Carol's new envelope is valid");
    }
    assertEquals(EXPECTED, c.document().toJson());

    List<SecureItem> delivered = new ArrayList<>(late);
    delivered.addAll(carolsFirst);
    delivered.addAll(removal);
    delivered.addAll(resealed);
    assertEquals(5, delivered.size());
    int n = 0;
    for (List<SecureItem> order : Permutations.of(delivered)) {
      for (Identity reader : List.of(alice, dave)) {
        SecureDocument d = SecureDocument.open(reader, a.id(), base, random);
        for (SecureItem item : order) {
          d.receive(List.of(item));
        }
        assertEquals(EXPECTED, d.document().toJson(), () -> "order " + order.stream().map(SecureItem::itemId).toList());
        n++;
      }
    }
    assertEquals(240, n);
    a.receive(c.items());
    assertEquals(EXPECTED, a.document().toJson());

    m.receive(removal);
    assertEquals("{\"notes\":\"Hello\",\"title\":\"Plan\"}", m.document().toJson(),
        "the removed author re-applies nothing: she may no longer write");
  }

  @Test
  void listElementsCountersAndObjectsCarolMadeAreMappedAndWhatMalloryMadeIsSkipped() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(mallory.memberId(), Level.EDIT);
    a.share(carol.memberId(), Level.EDIT);
    a.share(dave.memberId(), Level.READ);
    ObjId items = a.document().putObject(ObjId.ROOT, "items", ObjType.LIST);
    a.document().insert(items, 0, ScalarValue.of("a"));
    a.document().insert(items, 1, ScalarValue.of("b"));
    a.document().put(ObjId.ROOT, "count", ScalarValue.counter(0));
    a.document().commit();
    a.seal();
    List<SecureItem> base = a.items();
    SecureDocument m = SecureDocument.open(mallory, a.id(), base, random);
    SecureDocument c = SecureDocument.open(carol, a.id(), base, random);
    List<SecureItem> removal = a.unshare(mallory.memberId());

    Document md = m.document();
    md.insert(items, 2, ScalarValue.of("m"));
    md.delete(items, 0);
    md.increment(ObjId.ROOT, "count", 10);
    md.commit();
    c.receive(m.seal());

    Document cd = c.document();
    assertEquals("{\"count\":10,\"items\":[\"b\",\"m\"]}", cd.toJson());
    cd.insert(items, 2, ScalarValue.of("c")); // after Mallory's "m", which was inserted after Alice's "b"
    ObjId made = cd.insertObject(items, 3, ObjType.MAP);
    cd.put(made, "x", 1);
    cd.insert(items, 4, ScalarValue.of("d")); // after the map Carol made
    cd.delete(items, 0); // Alice's "b"
    cd.increment(ObjId.ROOT, "count", 1);
    cd.commit();
    c.seal();
    assertEquals("{\"count\":11,\"items\":[\"m\",\"c\",{\"x\":1},\"d\"]}", cd.toJson());

    c.receive(removal);
    String expected = "{\"count\":1,\"items\":[\"a\",\"c\",{\"x\":1},\"d\"]}";
    assertEquals(expected, c.document().toJson());
    c.seal();
    SecureDocument d = SecureDocument.open(dave, a.id(), c.items(), random);
    assertEquals(expected, d.document().toJson());
    a.receive(c.items());
    assertEquals(expected, a.document().toJson());
  }

  @Test
  void aSealedEditThatDidNotDependOnTheLateChangesGoesBackUnchangedIntoANewEnvelope() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(mallory.memberId(), Level.EDIT);
    a.share(carol.memberId(), Level.EDIT);
    List<SecureItem> base = a.items();
    SecureDocument m = SecureDocument.open(mallory, a.id(), base, random);
    SecureDocument c = SecureDocument.open(carol, a.id(), base, random);
    List<SecureItem> removal = a.unshare(mallory.memberId());
    m.document().put(ObjId.ROOT, "mallory", "late");
    m.document().commit();
    List<SecureItem> late = m.seal();

    c.document().put(ObjId.ROOT, "carol", "written before Mallory's text arrived");
    c.document().commit();
    Change own = c.document().changes().getLast();
    c.receive(late);
    Envelope first = (Envelope) c.seal().getFirst(); // its parent is Mallory's late envelope
    assertEquals(((Envelope) late.getFirst()).id(), first.parents().getFirst());

    c.receive(removal);
    assertFalse(c.log().isValid(first.id()), "it depends on an invalid envelope");
    assertEquals(List.of(own.hash()), c.document().heads().hashes(), "the same change, not a copy");
    assertEquals("{\"carol\":\"written before Mallory's text arrived\"}", c.document().toJson());
    Envelope again = (Envelope) c.seal().getFirst();
    assertTrue(c.log().isValid(again.id()));
    a.receive(c.items());
    assertEquals(c.document().toJson(), a.document().toJson());
  }
}
