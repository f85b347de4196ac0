package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Document#changesSince} on random concurrent histories (several replicas typing and
 * merging) against a plain model: every change that no change of {@code have} reaches through its
 * dependencies (a walk over the public {@link Change#deps()}), in the order of {@link Document#changes()}.
 * The {@code have} sets are random: current and past heads of any replica, single old changes,
 * unknown hashes, several concurrent changes at once. {@link Document#includes} against the same
 * model: whether every wanted change (recent ones, old ones, one of the heads, unknown ones) is
 * among those the heads reach.
 */
class ChangesSinceTest {
  @TestFactory
  Stream<DynamicTest> changesSinceIsEverythingHaveDoesNotReach() {
    return Seeds.tests("changesSince", ChangesSinceTest::run);
  }

  @TestFactory
  Stream<DynamicTest> includesIsWhetherTheHeadsReachEveryChange() {
    return Seeds.tests("includes", seed -> {
      Random rnd = new Random(seed);
      Histories h = histories(rnd);
      for (int probe = 0; probe < 40; probe++) {
        Set<ChangeHash> at = randomHave(rnd, h);
        Set<ChangeHash> reached = reachable(h.changes(), at);
        List<ChangeHash> wanted = new ArrayList<>();
        for (int k = rnd.nextInt(3); k >= 0; k--) {
          wanted.add(switch (rnd.nextInt(6)) {
            case 0 -> unknownHash(rnd);
            case 1 -> at.iterator().next();
            case 2 -> h.hashes().get(h.hashes().size() - 1 - rnd.nextInt(Math.min(5, h.hashes().size())));
            default -> h.hashes().get(rnd.nextInt(h.hashes().size()));
          });
        }
        boolean expected = reached.containsAll(wanted);
        assertEquals(expected, h.all().includes(Heads.of(new ArrayList<>(at)), Heads.of(wanted)),
            "heads " + at + " include " + wanted);
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> aDocumentReadAtPastHeadsIsWhatItWasThen() {
    return Seeds.tests("read at past heads", seed -> {
      Random rnd = new Random(seed);
      Histories h = histories(rnd);
      for (int k = 0; k < h.past().size(); k++) {
        assertEquals(h.pastJson().get(k), h.all().toJson(h.past().get(k)), "as of " + h.past().get(k));
      }
    });
  }

  /**
   * Several replicas' histories merged into {@code all}, the heads each replica had along the way,
   * and its JSON then.
   */
  private record Histories(Document all, List<Change> changes, List<ChangeHash> hashes, List<Heads> past,
                           List<String> pastJson) {}

  private static Histories histories(Random rnd) {
    int n = 1 + rnd.nextInt(4);
    List<Document> reps = new ArrayList<>();
    Document first = Document.create(ActorId.of(new byte[] {1}));
    ObjId[] text = new ObjId[1];
    first.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    reps.add(first);
    for (int i = 1; i < n; i++) {
      Document f = first.fork();
      f.setActor(ActorId.of(new byte[] {(byte) (i + 1)}));
      reps.add(f);
    }
    List<Heads> past = new ArrayList<>();
    List<String> pastJson = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      Document d = reps.get(rnd.nextInt(n));
      if (rnd.nextInt(5) == 0 && n > 1) {
        d.merge(reps.get(rnd.nextInt(n)));
      } else {
        d.transact(tx -> tx.spliceText(text[0], rnd.nextInt(tx.length(text[0]) + 1), 0, "x"));
      }
      past.add(d.heads());
      pastJson.add(d.toJson());
    }
    Document all = reps.get(0);
    for (Document d : reps) {
      all.merge(d);
    }
    List<Change> changes = all.changes();
    return new Histories(all, changes, changes.stream().map(Change::hash).toList(), past, pastJson);
  }

  /** Current and past heads of any replica, single old changes, unknown hashes, several concurrent changes at once. */
  private static Set<ChangeHash> randomHave(Random rnd, Histories h) {
    List<ChangeHash> hashes = h.hashes();
    Set<ChangeHash> have = new HashSet<>();
    switch (rnd.nextInt(4)) {
      case 0 -> have.addAll(h.past().get(rnd.nextInt(h.past().size())).hashes());
      case 1 -> have.add(hashes.get(rnd.nextInt(hashes.size())));
      case 2 -> {
        for (int k = rnd.nextInt(4); k >= 0; k--) {
          have.add(hashes.get(rnd.nextInt(hashes.size())));
        }
      }
      default -> {
        have.add(unknownHash(rnd));
        have.addAll(h.past().get(rnd.nextInt(h.past().size())).hashes());
      }
    }
    return have;
  }

  private static ChangeHash unknownHash(Random rnd) {
    byte[] unknown = new byte[ChangeHash.LENGTH];
    rnd.nextBytes(unknown);
    return ChangeHash.of(unknown);
  }

  private static void run(long seed) {
    Random rnd = new Random(seed);
    Histories h = histories(rnd);
    for (int probe = 0; probe < 40; probe++) {
      Set<ChangeHash> have = randomHave(rnd, h);
      Set<ChangeHash> reached = reachable(h.changes(), have);
      List<ChangeHash> expected = h.hashes().stream().filter(x -> !reached.contains(x)).toList();
      List<ChangeHash> actual = h.all().changesSince(Heads.of(new ArrayList<>(have))).stream().map(Change::hash).toList();
      assertEquals(expected, actual, "changes since " + have);
    }
  }

  /** The changes reachable from {@code from} (inclusive) through their dependencies; unknown hashes reach nothing. */
  private static Set<ChangeHash> reachable(List<Change> changes, Set<ChangeHash> from) {
    Map<ChangeHash, Change> byHash = new HashMap<>();
    changes.forEach(c -> byHash.put(c.hash(), c));
    Set<ChangeHash> seen = new HashSet<>();
    ArrayDeque<ChangeHash> todo = new ArrayDeque<>();
    for (ChangeHash h : from) {
      if (byHash.containsKey(h) && seen.add(h)) {
        todo.add(h);
      }
    }
    while (!todo.isEmpty()) {
      for (ChangeHash d : byHash.get(todo.poll()).deps()) {
        if (seen.add(d)) {
          todo.add(d);
        }
      }
    }
    return seen;
  }
}
