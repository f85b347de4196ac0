package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.RandomEditor;
import dev.loam.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of {@link Revert} over random multi-actor histories of every kind of edit (nested
 * objects, lists, text with marks, counters): reverting a set at once leaves the same document as
 * reverting its changes one at a time, newest first; and reverting a revert gives the state before
 * it back.
 */
class RevertPropertiesTest {
  private static final CommitOptions OPTIONS = CommitOptions.message("revert").withTime(1_700_000_000L);

  @TestFactory
  Stream<DynamicTest> revertingAtOnceEqualsRevertingNewestFirst() {
    return Seeds.tests("revert at once = one by one", seed -> {
      Random rnd = new Random(seed);
      Document doc = history(rnd);
      List<Change> all = doc.changes();
      List<ChangeHash> chosen = new ArrayList<>();
      for (Change c : all) {
        if (rnd.nextInt(3) == 0) {
          chosen.add(c.hash());
        }
      }
      Document once = doc.fork();
      once.setActor(ActorId.fromHex("eeee"));
      Revert.revert(once, OPTIONS, chosen);
      Document oneByOne = doc.fork();
      oneByOne.setActor(ActorId.fromHex("eeee"));
      List<Change> newestFirst = new ArrayList<>(all.stream().filter(c -> chosen.contains(c.hash())).toList());
      newestFirst.sort(Comparator.comparingInt(all::indexOf).reversed());
      for (Change c : newestFirst) {
        Revert.revert(oneByOne, OPTIONS, List.of(c.hash()));
      }
      assertEquals(once.toJson(), oneByOne.toJson());
    });
  }

  /**
   * With one author (so no key holds concurrent values, whose order a new op cannot recreate),
   * reverting a revert gives the document before it back.
   */
  @TestFactory
  Stream<DynamicTest> revertingTheRevertGivesTheStateBeforeIt() {
    return Seeds.tests("revert of a revert", seed -> {
      Random rnd = new Random(seed);
      Document doc = Document.create(ActorId.fromHex("aaaa"));
      RandomEditor editor = new RandomEditor(rnd);
      for (int i = 0; i < 10; i++) {
        editor.randomTransaction(doc);
      }
      List<Change> all = doc.changes();
      Change last = all.get(all.size() - 1);
      String before = doc.toJson();
      var undo = Revert.revert(doc, OPTIONS, List.of(last.hash()));
      if (undo.isPresent()) {
        Revert.revert(doc, OPTIONS, List.of(undo.get()));
      }
      assertEquals(before, doc.toJson());
    });
  }

  /** Two or three actors making random transactions and merging at random. */
  private static Document history(Random rnd) {
    List<Document> docs = new ArrayList<>();
    Document first = Document.create(ActorId.fromHex("aaaa"));
    docs.add(first);
    for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
      Document d = first.fork();
      d.setActor(ActorId.fromHex(i == 1 ? "bbbb" : "cccc"));
      docs.add(d);
    }
    RandomEditor editor = new RandomEditor(rnd);
    for (int step = 0; step < 12; step++) {
      Document d = docs.get(rnd.nextInt(docs.size()));
      if (rnd.nextInt(4) == 0) {
        d.merge(docs.get(rnd.nextInt(docs.size())));
      } else {
        editor.randomTransaction(d);
      }
    }
    for (Document d : docs.subList(1, docs.size())) {
      first.merge(d);
    }
    return first;
  }
}
