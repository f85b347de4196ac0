package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
    cd.commit(CommitOptions.message("Carol's text"));
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
    assertEquals(Optional.of("Carol's text"), fresh.get(1).message(), "a replayed change keeps its message");

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

  static java.util.stream.LongStream seeds() {
    return TestSeeds.seeds();
  }

  /**
   * Random edits: Mallory's late ones use only {@code X} and {@code "mallory"}, Carol's on top of
   * them only {@code c} and {@code "carol"}, Alice's neither. After the rebuild Carol keeps exactly
   * her own characters, elements and keys, none of Mallory's, and Alice converges on her document.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void randomEditsOnLateChangesKeepExactlyCarolsOwnContent(long seed) {
    SecureRandom r = TestSeeds.random(seed);
    SecureDocument a = SecureDocument.create(alice, r);
    a.share(mallory.memberId(), Level.EDIT);
    a.share(carol.memberId(), Level.EDIT);
    Document ad = a.document();
    ObjId notes = ad.putObject(ObjId.ROOT, "notes", ObjType.TEXT);
    ad.spliceText(notes, 0, 0, "alpha beta gamma");
    ObjId items = ad.putObject(ObjId.ROOT, "items", ObjType.LIST);
    for (int i = 0; i < 4; i++) {
      ad.insert(items, i, ScalarValue.of("alice" + i));
    }
    ad.commit();
    a.seal();
    List<SecureItem> base = a.items();
    SecureDocument m = SecureDocument.open(mallory, a.id(), base, r);
    SecureDocument c = SecureDocument.open(carol, a.id(), base, r);
    List<SecureItem> removal = a.unshare(mallory.memberId());
    randomEdits(r, m, notes, items, "X", "mallory", "m-");
    m.seal();
    c.receive(m.items());
    randomEdits(r, c, notes, items, "c", "carol", "c-");
    Document before = c.document();
    String context = "seed " + seed + ", Carol before: " + before.toJson();

    c.receive(removal);
    Document after = c.document();
    assertNotSame(before, after, "rebuilt without Mallory's late envelope");
    assertEquals(count(before.text(notes), 'c'), count(after.text(notes), 'c'), context);
    assertEquals(0, count(after.text(notes), 'X'), context);
    assertEquals(elements(before, items, "carol"), elements(after, items, "carol"), context);
    assertEquals(0, elements(after, items, "mallory"), context);
    assertEquals(keys(before, "c-"), keys(after, "c-"), context);
    assertEquals(List.of(), keys(after, "m-"), context);
    for (SecureItem item : c.seal()) {
      if (item instanceof Envelope e) {
        assertTrue(c.log().isValid(e.id()), context);
      }
    }
    a.receive(c.items());
    assertEquals(c.document().toJson(), a.document().toJson(), context);
  }

  private static void randomEdits(SecureRandom r, SecureDocument d, ObjId notes, ObjId items, String ch, String element,
      String keyPrefix) {
    Document doc = d.document();
    for (int round = 0; round < 4; round++) {
      for (int k = 0; k < 3; k++) {
        int length = doc.length(notes);
        switch (r.nextInt(5)) {
          case 0 -> doc.spliceText(notes, r.nextInt(length + 1), 0, ch.repeat(1 + r.nextInt(3)));
          case 1 -> {
            if (length > 0) {
              doc.spliceText(notes, r.nextInt(length), 1, "");
            }
          }
          case 2 -> doc.insert(items, r.nextInt(doc.length(items) + 1), ScalarValue.of(element));
          case 3 -> {
            if (doc.length(items) > 0) {
              doc.delete(items, r.nextInt(doc.length(items)));
            }
          }
          default -> doc.put(ObjId.ROOT, keyPrefix + r.nextInt(4), element + round);
        }
      }
      doc.commit();
      if (r.nextBoolean()) {
        d.seal();
      }
    }
  }

  private static long count(String text, char ch) {
    return text.chars().filter(x -> x == ch).count();
  }

  private static long elements(Document doc, ObjId list, String value) {
    long n = 0;
    for (int i = 0; i < doc.length(list); i++) {
      n += doc.get(list, i).equals(Optional.of(ScalarValue.of(value))) ? 1 : 0;
    }
    return n;
  }

  private static List<String> keys(Document doc, String prefix) {
    return doc.keys(ObjId.ROOT).stream().filter(k -> k.startsWith(prefix)).map(k -> k + "=" + doc.get(ObjId.ROOT, k))
        .toList();
  }
}
