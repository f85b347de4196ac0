package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Document;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Two replicas each reconcile a randomly edited value of one record, concurrently; after merging,
 * both hold what a plain model of hand edits says: a component only one side changed has that
 * side's value, one both changed has one of theirs (Automerge's conflict winner), counters add,
 * text and lists keep every character or element either side inserted and drop every one either
 * side deleted, in an order consistent with both sides, keyed list elements removed on one side
 * stay removed whatever the other side edited inside them, and a map key one side put wins over
 * the other side's concurrent delete. Text and list elements are unique (fresh characters and
 * tags), so the model can name them; several rounds run on each merged state.
 */
class TypedConvergenceTest {
  record Item(@Key String id, String label, long qty, boolean done) {}

  record State(@Text String title, Counter hits, long n, boolean flag, List<Item> items, Map<String, Long> scores, List<String> tags) {}

  private static final Mapper<State> MAPPER = Mapper.of(State.class);

  @TestFactory
  Stream<DynamicTest> concurrentReconciliationsMergeAsHandEditsWould() {
    return Seeds.tests("concurrent reconciliations", seed -> {
      Random rnd = new Random(seed);
      int[] fresh = {0};
      Document a = Document.create(ActorId.fromHex("0a"));
      State base = new State("", Counter.ZERO, 0, false, List.of(), Map.of(), List.of());
      a.transact(tx -> MAPPER.reconcile(tx, base));
      Document b = a.fork();
      b.setActor(ActorId.fromHex("0b"));
      for (int round = 0; round < 4; round++) {
        State start = MAPPER.read(a);
        assertEquals(start, MAPPER.read(b));
        State va = edit(rnd, start, fresh);
        State vb = edit(rnd, start, fresh);
        a.transact(tx -> MAPPER.reconcile(tx, va));
        b.transact(tx -> MAPPER.reconcile(tx, vb));
        a.merge(b);
        b.merge(a);
        assertEquals(a.toJson(), b.toJson(), "replicas converge");
        check(start, va, vb, MAPPER.read(a));
      }
    });
  }

  /** The merged value {@code m} is what the model of hand edits allows for base {@code o}, sides {@code x} and {@code y}. */
  private static void check(State o, State x, State y, State m) {
    sequence("title", chars(o.title()), chars(x.title()), chars(y.title()), chars(m.title()));
    assertEquals(o.hits().value() + (x.hits().value() - o.hits().value()) + (y.hits().value() - o.hits().value()), m.hits().value(), "hits");
    register("n", o.n(), x.n(), y.n(), m.n());
    register("flag", o.flag(), x.flag(), y.flag(), m.flag());
    sequence("tags", o.tags(), x.tags(), y.tags(), m.tags());
    // keyed items: which survive, in what order, and each component as a register
    Function<List<Item>, List<String>> ids = l -> l.stream().map(Item::id).toList();
    sequence("item ids", ids.apply(o.items()), ids.apply(x.items()), ids.apply(y.items()), ids.apply(m.items()));
    for (Item mi : m.items()) {
      Item oi = byId(o.items(), mi.id());
      Item xi = byId(x.items(), mi.id());
      Item yi = byId(y.items(), mi.id());
      if (oi == null) {
        assertEquals(xi != null ? xi : yi, mi, "a new item is as its side wrote it");
        continue;
      }
      register("label of " + mi.id(), oi.label(), xi.label(), yi.label(), mi.label());
      register("qty of " + mi.id(), oi.qty(), xi.qty(), yi.qty(), mi.qty());
      register("done of " + mi.id(), oi.done(), xi.done(), yi.done(), mi.done());
    }
    Set<String> keys = new HashSet<>(o.scores().keySet());
    keys.addAll(x.scores().keySet());
    keys.addAll(y.scores().keySet());
    for (String k : keys) {
      Long ov = o.scores().get(k);
      Long xv = x.scores().get(k);
      Long yv = y.scores().get(k);
      Long mv = m.scores().get(k);
      boolean xTouched = !Objects.equals(ov, xv);
      boolean yTouched = !Objects.equals(ov, yv);
      if (!xTouched && !yTouched) {
        assertEquals(ov, mv, "score " + k + " untouched");
      } else if (xTouched != yTouched) {
        assertEquals(xTouched ? xv : yv, mv, "score " + k + " changed on one side");
      } else if (xv == null || yv == null) {
        assertEquals(xv == null ? yv : xv, mv, "score " + k + ": a put wins over a concurrent delete");
      } else {
        assertTrue(Objects.equals(mv, xv) || Objects.equals(mv, yv), "score " + k + " is one side's: " + mv);
      }
    }
  }

  /** A register: one side's change wins; both sides' changes conflict and one of them wins. */
  private static <V> void register(String what, V o, V x, V y, V m) {
    if (Objects.equals(x, o)) {
      assertEquals(y, m, what);
    } else if (Objects.equals(y, o)) {
      assertEquals(x, m, what);
    } else {
      assertTrue(m.equals(x) || m.equals(y), what + " is one side's value: " + m + " not " + x + " or " + y);
    }
  }

  /** A sequence of unique elements: survivors are exactly kept-by-both plus inserted-by-either, ordered consistently with both sides. */
  private static <E> void sequence(String what, List<E> o, List<E> x, List<E> y, List<E> m) {
    Set<E> expected = new HashSet<>();
    for (E e : o) {
      if (x.contains(e) && y.contains(e)) {
        expected.add(e);
      }
    }
    x.stream().filter(e -> !o.contains(e)).forEach(expected::add);
    y.stream().filter(e -> !o.contains(e)).forEach(expected::add);
    assertEquals(expected, new HashSet<>(m), what + ": the surviving elements");
    assertEquals(m.size(), expected.size(), what + ": no element twice");
    assertEquals(x.stream().filter(expected::contains).toList(), m.stream().filter(x::contains).toList(), what + ": ordered as one side");
    assertEquals(y.stream().filter(expected::contains).toList(), m.stream().filter(y::contains).toList(), what + ": ordered as the other side");
  }

  private static Item byId(List<Item> items, String id) {
    return items.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
  }

  private static List<Integer> chars(String s) {
    return s.codePoints().boxed().toList();
  }

  /** A random edit of {@code s}: some components change, lists and text gain fresh elements and lose some. */
  static State edit(Random rnd, State s, int[] fresh) {
    String title = s.title();
    if (rnd.nextBoolean()) {
      List<Integer> cps = new ArrayList<>(chars(title));
      for (int k = rnd.nextInt(4); k > 0 && !cps.isEmpty(); k--) {
        cps.remove(rnd.nextInt(cps.size()));
      }
      for (int k = rnd.nextInt(5); k > 0; k--) {
        int cp = rnd.nextInt(4) == 0 ? 0x1F300 + fresh[0]++ : 0x4E00 + fresh[0]++; // some outside the BMP: surrogate pairs
        cps.add(rnd.nextInt(cps.size() + 1), cp);
      }
      title = cps.stream().map(Character::toString).collect(Collectors.joining());
    }
    Counter hits = rnd.nextInt(3) == 0 ? s.hits().plus(rnd.nextInt(5) + 1) : s.hits();
    long n = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : s.n();
    boolean flag = rnd.nextInt(3) == 0 ? rnd.nextBoolean() : s.flag();
    List<String> tags = new ArrayList<>(s.tags());
    for (int k = rnd.nextInt(3); k > 0 && !tags.isEmpty(); k--) {
      tags.remove(rnd.nextInt(tags.size()));
    }
    for (int k = rnd.nextInt(3); k > 0; k--) {
      tags.add(rnd.nextInt(tags.size() + 1), "t" + fresh[0]++);
    }
    List<Item> items = new ArrayList<>(s.items());
    if (!items.isEmpty() && rnd.nextInt(3) == 0) {
      items.remove(rnd.nextInt(items.size()));
    }
    for (int k = 0; k < items.size(); k++) {
      if (rnd.nextInt(3) == 0) {
        Item i = items.get(k);
        items.set(k, switch (rnd.nextInt(3)) {
          case 0 -> new Item(i.id(), "l" + rnd.nextInt(3), i.qty(), i.done());
          case 1 -> new Item(i.id(), i.label(), rnd.nextInt(3), i.done());
          default -> new Item(i.id(), i.label(), i.qty(), !i.done());
        });
      }
    }
    if (rnd.nextBoolean()) {
      items.add(rnd.nextInt(items.size() + 1), new Item("i" + fresh[0]++, "new", rnd.nextInt(3), false));
    }
    Map<String, Long> scores = new LinkedHashMap<>(s.scores());
    for (int k = rnd.nextInt(3); k > 0; k--) {
      String key = "k" + rnd.nextInt(4);
      if (rnd.nextInt(3) == 0) {
        scores.remove(key);
      } else {
        scores.put(key, (long) rnd.nextInt(3));
      }
    }
    return new State(title, hits, n, flag, items, scores, tags);
  }
}
