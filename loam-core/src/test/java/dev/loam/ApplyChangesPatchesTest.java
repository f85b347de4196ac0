package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Document#applyChanges(List, java.util.function.BiConsumer)}: each change's patches,
 * applied in order to a plain model of the state before it, give the state after it (marks aside),
 * on random histories of several actors with concurrent edits.
 */
class ApplyChangesPatchesTest {
  @TestFactory
  Stream<DynamicTest> eachChangesPatchesTurnTheStateBeforeIntoTheStateAfter() {
    return Seeds.tests("patches per change", seed -> {
      Random rnd = new Random(seed);
      RandomEditor editor = new RandomEditor(rnd);
      Document a = Document.create(ActorId.random(rnd));
      Document b = Document.create(ActorId.random(rnd));
      for (int i = 0; i < 30; i++) {
        editor.randomTransaction(rnd.nextBoolean() ? a : b);
        if (rnd.nextInt(5) == 0) {
          a.merge(b);
        }
        if (rnd.nextInt(5) == 0) {
          b.merge(a);
        }
      }
      a.merge(b);
      replayAndCheck(a);
    });
  }

  @Test
  void aKeystrokeHistoryGivesOneSplicePerChange() {
    Document doc = Document.create(ActorId.random(new Random(7)));
    ObjId text = doc.putObject(ObjId.ROOT, "t", ObjType.TEXT);
    doc.commit();
    for (char c : "hello".toCharArray()) {
      doc.spliceText(text, doc.length(text), 0, String.valueOf(c));
      doc.commit();
    }
    doc.spliceText(text, 1, 3, "");
    doc.commit();
    List<List<Patch>> seen = new ArrayList<>();
    Document replica = Document.create(ActorId.random(new Random(8)));
    for (Change c : doc.changes()) {
      replica.applyChanges(List.of(c.bytes().toByteArray()), (change, patches) -> {
        assertEquals(c.hash(), change.hash());
        seen.add(patches);
      });
    }
    List<Prop> t = List.of(Prop.key("t"));
    assertEquals(List.of(new Patch.Put(t, doc.get(ObjId.ROOT, "t").orElseThrow(), false)), seen.get(0));
    assertEquals(List.of(new Patch.SpliceText(List.of(Prop.key("t"), Prop.index(4)), "o", Map.of())), seen.get(5));
    assertEquals(List.of(new Patch.Delete(List.of(Prop.key("t"), Prop.index(1)), 3)), seen.get(6));
    assertEquals("ho", replica.text(text));
  }

  /** Replays {@code doc}'s changes one at a time into a fresh document, checking each change's patches. */
  private static void replayAndCheck(Document doc) {
    Document replica = Document.create(ActorId.random(new Random(1)));
    Map<String, Object> model = new TreeMap<>();
    for (Change c : doc.changes()) {
      int[] calls = {0};
      replica.applyChanges(List.of(c.bytes().toByteArray()), (change, patches) -> {
        calls[0]++;
        assertEquals(c.hash(), change.hash());
        for (Patch p : patches) {
          apply(model, p);
        }
      });
      assertEquals(1, calls[0], "one call per change");
      assertEquals(plain(replica, ObjId.ROOT, ObjType.MAP).toString(), normal(model).toString(),
          "after change " + c.hash());
    }
  }

  // ---- a plain model: maps, lists, StringBuilders for text, scalar values ----

  @SuppressWarnings("unchecked")
  private static void apply(Map<String, Object> root, Patch patch) {
    List<Prop> path = patch.path();
    Object parent = root;
    for (Prop p : path.subList(0, Math.max(0, path.size() - 1))) {
      parent = switch (p) {
        case Prop.Key k -> ((Map<String, Object>) parent).get(k.key());
        case Prop.Index i -> ((List<Object>) parent).get(i.index());
      };
    }
    Prop last = path.isEmpty() ? null : path.getLast();
    switch (patch) {
      case Patch.Put put -> set(parent, last, model(put.value()));
      case Patch.Insert ins -> {
        int at = ((Prop.Index) last).index();
        for (Value v : ins.values()) {
          ((List<Object>) parent).add(at++, model(v));
        }
      }
      case Patch.SpliceText s -> ((StringBuilder) parent).insert(((Prop.Index) last).index(), s.value());
      case Patch.Delete d -> {
        switch (parent) {
          case Map<?, ?> m -> m.remove(((Prop.Key) last).key());
          case List<?> l -> l.subList(((Prop.Index) last).index(), ((Prop.Index) last).index() + d.length()).clear();
          case StringBuilder sb -> sb.delete(((Prop.Index) last).index(), ((Prop.Index) last).index() + d.length());
          default -> throw new AssertionError("delete in " + parent);
        }
      }
      case Patch.Increment inc -> {
        Object old = last instanceof Prop.Key k ? ((Map<String, Object>) parent).get(k.key())
            : ((List<Object>) parent).get(((Prop.Index) last).index());
        set(parent, last, new ScalarValue.Counter(((ScalarValue.Counter) old).value() + inc.value()));
      }
      case Patch.MarkSet m -> { }
      case Patch.Conflict c -> { }
    }
  }

  @SuppressWarnings("unchecked")
  private static void set(Object parent, Prop last, Object value) {
    switch (last) {
      case Prop.Key k -> ((Map<String, Object>) parent).put(k.key(), value);
      case Prop.Index i -> ((List<Object>) parent).set(i.index(), value);
    }
  }

  private static Object model(Value v) {
    return switch (v) {
      case Value.Obj o -> switch (o.type()) {
        case MAP, TABLE -> new TreeMap<String, Object>();
        case LIST -> new ArrayList<>();
        case TEXT -> new StringBuilder();
      };
      case ScalarValue s -> s;
    };
  }

  private static Object normal(Object o) {
    return switch (o) {
      case Map<?, ?> m -> {
        Map<Object, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, normal(v)));
        yield out;
      }
      case List<?> l -> l.stream().map(ApplyChangesPatchesTest::normal).toList();
      case StringBuilder sb -> "text:" + sb;
      default -> o;
    };
  }

  private static Object plain(ReadDoc d, ObjId id, ObjType type) {
    return switch (type) {
      case MAP, TABLE -> {
        Map<String, Object> m = new TreeMap<>();
        for (String k : d.keys(id)) {
          m.put(k, plainValue(d, d.get(id, k).orElseThrow()));
        }
        yield m;
      }
      case LIST -> {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < d.length(id); i++) {
          l.add(plainValue(d, d.get(id, i).orElseThrow()));
        }
        yield l;
      }
      case TEXT -> "text:" + d.text(id);
    };
  }

  private static Object plainValue(ReadDoc d, Value v) {
    return v instanceof Value.Obj o ? plain(d, o.id(), o.type()) : v;
  }
}
