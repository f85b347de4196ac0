package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.RandomEditor;
import dev.loam.Seeds;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Document#fork()} copies the engine's state column by column instead of saving and
 * loading. The reference for every check is the decoding path: a document loaded from the saved
 * bytes, which shares no code with the copy. A fork must start equal to its source (state, saved
 * bytes, waiting changes, invariants), and then the two must be independent: edits, merges and
 * queued changes on one leave the other's state and saved bytes exactly as they were, and each
 * stays equal to a document loaded from its own save.
 */
class ForkCopyTest {
  private static final ActorId[] ACTORS = {
      ActorId.fromHex("01"), ActorId.fromHex("0100ff"), ActorId.fromHex("02"), ActorId.fromHex("ff00")};

  @TestFactory
  Stream<DynamicTest> aForkStartsEqualAndStaysIndependentOfItsSource() {
    return Seeds.tests("fork copy", ForkCopyTest::run);
  }

  static void run(long seed) {
    Random rnd = new Random(seed);
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L + seed));
    RandomEditor editor = new RandomEditor(rnd);
    // a source with several actors' concurrent changes, some still waiting for dependencies
    List<Document> peers = new ArrayList<>();
    for (ActorId a : ACTORS) {
      peers.add(Document.create(a, clock));
    }
    Map<ChangeHash, byte[]> pool = new LinkedHashMap<>();
    for (int step = 0, steps = 10 + rnd.nextInt(40); step < steps; step++) {
      Document d = peers.get(rnd.nextInt(peers.size()));
      if (rnd.nextInt(3) > 0) {
        record(editor.randomTransaction(d), d, pool);
      } else {
        Document from = peers.get(rnd.nextInt(peers.size()));
        d.applyChanges(bytes(from.changesSince(d.heads())));
      }
    }
    Document source = peers.get(0);
    List<byte[]> held = new ArrayList<>(pool.values());
    Collections.shuffle(held, rnd);
    source.applyChanges(held.subList(0, rnd.nextInt(held.size() + 1))); // some queue for missing deps
    if (rnd.nextInt(3) == 0) {
      source = Document.load(source.save(), ACTORS[0]); // hashes deferred until first needed
    }

    Document fork = source.fork();
    assertNotEquals(source.actor(), fork.actor(), "a fork writes as a new actor");
    ConvergenceTest.assertSameState(source, fork);
    assertArrayEquals(source.save(), fork.save(), "saved bytes of the fork");
    assertEquals(source.missingDeps(Heads.EMPTY), fork.missingDeps(Heads.EMPTY), "changes waiting for dependencies");
    Invariants.check(fork);
    Invariants.check(source);

    // edits on the fork leave the source as it was, and the other way round
    editOneLeaveTheOther(rnd, editor, pool, fork, source, "the source, after edits to its fork");
    editOneLeaveTheOther(rnd, editor, pool, source, fork, "the fork, after edits to its source");

    // each equals the document its own save decodes to
    ConvergenceTest.assertSameState(Document.load(fork.save()), fork);
    ConvergenceTest.assertSameState(Document.load(source.save()), source);
    // and a fork of a fork, after everything arrived everywhere, converges with both
    Document second = fork.fork();
    for (Document d : List.of(source, fork, second)) {
      d.applyChanges(new ArrayList<>(pool.values()));
      d.applyChanges(bytes(source.changes()));
      d.applyChanges(bytes(fork.changes()));
      Invariants.check(d);
    }
    ConvergenceTest.assertSameState(source, fork);
    ConvergenceTest.assertSameState(source, second);
    ConvergenceTest.assertSameState(Document.load(second.save()), second);
  }

  private static void editOneLeaveTheOther(Random rnd, RandomEditor editor, Map<ChangeHash, byte[]> pool,
                                           Document edited, Document other, String what) {
    byte[] saved = other.save();
    String json = other.toJson();
    edit(rnd, editor, edited, pool);
    assertArrayEquals(saved, other.save(), "saved bytes of " + what);
    assertEquals(json, other.toJson(), "state of " + what);
    Invariants.check(other);
  }

  /** Local transactions and delivered changes, with the invariants checked after each. */
  private static void edit(Random rnd, RandomEditor editor, Document d, Map<ChangeHash, byte[]> pool) {
    for (int k = 0, n = 1 + rnd.nextInt(12); k < n; k++) {
      if (rnd.nextInt(4) > 0) {
        record(editor.randomTransaction(d), d, pool);
      } else if (!pool.isEmpty()) {
        List<byte[]> all = new ArrayList<>(pool.values());
        d.applyChanges(List.of(all.get(rnd.nextInt(all.size()))));
      }
      Invariants.check(d);
    }
  }

  private static void record(Optional<ChangeHash> made, Document d, Map<ChangeHash, byte[]> pool) {
    made.ifPresent(h -> pool.put(h, d.change(h).orElseThrow().bytes().toByteArray()));
  }

  private static List<byte[]> bytes(List<Change> changes) {
    List<byte[]> out = new ArrayList<>();
    for (Change c : changes) {
      out.add(c.bytes().toByteArray());
    }
    return out;
  }

  @Test
  void aLongTextForksIntoATreeOfManyLeavesThatBothSidesEditApart() {
    Document source = Document.create(ActorId.fromHex("aa"));
    ObjId text = source.putObject(ObjId.ROOT, "t", ObjType.TEXT);
    source.commit();
    StringBuilder model = new StringBuilder();
    Random rnd = new Random(7);
    for (int i = 0; i < 20_000; i++) { // hundreds of leaves and two levels of inner nodes
      int at = rnd.nextInt(model.length() + 1);
      String c = String.valueOf((char) ('a' + rnd.nextInt(26)));
      source.spliceText(text, at, 0, c);
      source.commit();
      model.insert(at, c);
    }
    Document fork = source.fork();
    Invariants.check(fork);
    StringBuilder forkModel = new StringBuilder(model);
    for (int i = 0; i < 2_000; i++) {
      int at = rnd.nextInt(model.length());
      source.spliceText(text, at, 1, "X");
      source.commit();
      model.replace(at, at + 1, "X");
      int at2 = rnd.nextInt(forkModel.length() + 1);
      fork.spliceText(text, at2, 0, "Y");
      fork.commit();
      forkModel.insert(at2, "Y");
    }
    assertEquals(model.toString(), source.text(text));
    assertEquals(forkModel.toString(), fork.text(text));
    Invariants.check(source);
    Invariants.check(fork);
    assertEquals(forkModel.toString(), Document.load(fork.save()).text(text));
  }
}
