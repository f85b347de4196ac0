package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Makes random local edits through the public API — map puts of every scalar type, nested
 * objects, list insert/delete/put/splice, text splices with emoji, counters, marks — and checks
 * every list and text it touches against a plain model ({@code List} / {@code StringBuilder})
 * after each write and after the commit.
 */
public final class RandomEditor {
  static final String[] KEYS = {"a", "b", "c", "d", "é", "z😀", ""};
  static final String[] CHARS = {"a", "b", "c", "é", "😀", "🌍", "x", "\n", "ß"};
  static final String[] MARK_NAMES = {"bold", "link", "em"};
  static final ObjType[] TYPES = {ObjType.MAP, ObjType.LIST, ObjType.TEXT};

  /** A reachable object of a document. */
  public record Obj(ObjId id, ObjType type) {}

  private final Random rnd;
  private final Map<ObjId, List<Object>> lists = new HashMap<>();
  private final Map<ObjId, StringBuilder> texts = new HashMap<>();

  public RandomEditor(Random rnd) {
    this.rnd = rnd;
  }

  /** Every object reachable through winning values, breadth first from the root. */
  public static List<Obj> objects(ReadDoc doc) {
    List<Obj> out = new ArrayList<>();
    ArrayDeque<Obj> todo = new ArrayDeque<>();
    todo.add(new Obj(ObjId.ROOT, ObjType.MAP));
    while (!todo.isEmpty()) {
      Obj o = todo.poll();
      out.add(o);
      List<Value> vs = new ArrayList<>();
      if (o.type == ObjType.MAP) {
        for (String k : doc.keys(o.id)) {
          vs.add(doc.get(o.id, k).orElseThrow());
        }
      } else if (o.type == ObjType.LIST) {
        for (int i = 0; i < doc.length(o.id); i++) {
          vs.add(doc.get(o.id, i).orElseThrow());
        }
      }
      for (Value v : vs) {
        if (v instanceof Value.Obj ob) {
          todo.add(new Obj(ob.id(), ob.type()));
        }
      }
    }
    return out;
  }

  /** Runs one random transaction of 1–4 writes; returns its change hash (empty if it emitted nothing). */
  public Optional<ChangeHash> randomTransaction(Document doc) {
    List<Obj> objs = objects(doc);
    lists.clear();
    texts.clear();
    int n = 1 + rnd.nextInt(4);
    CommitOptions opts = switch (rnd.nextInt(3)) {
      case 0 -> CommitOptions.DEFAULT;
      case 1 -> CommitOptions.message("edit " + rnd.nextInt(100));
      default -> CommitOptions.DEFAULT.withTime(rnd.nextInt(3) == 0 ? 0 : 1_600_000_000L + rnd.nextInt(1000));
    };
    Optional<ChangeHash> h = doc.transact(opts, tx -> {
      for (int i = 0; i < n; i++) {
        oneWrite(tx, objs);
      }
    });
    checkModels(doc, "after commit");
    return h;
  }

  /** Runs random writes in a transaction that then throws; the document must be exactly as before. */
  public void abortedTransaction(Document doc) {
    String json = doc.toJson();
    Heads heads = doc.heads();
    int changes = doc.changes().size();
    List<Obj> objs = objects(doc);
    lists.clear();
    texts.clear();
    RuntimeException boom = new IllegalStateException("abort");
    try {
      doc.transact(tx -> {
        for (int i = 0; i < 3; i++) {
          oneWrite(tx, objs);
        }
        throw boom;
      });
    } catch (IllegalStateException e) {
      assertTrue(e == boom, "the body's exception propagates");
    }
    assertEquals(json, doc.toJson(), "a throwing transact body rolls back");
    assertEquals(heads, doc.heads());
    assertEquals(changes, doc.changes().size());
    lists.clear();
    texts.clear();
  }

  private void oneWrite(Transaction tx, List<Obj> objs) {
    // the root a quarter of the time, else any nested object (they hold the lists, text and marks)
    Obj o = objs.size() == 1 || rnd.nextInt(4) == 0 ? objs.get(0) : objs.get(1 + rnd.nextInt(objs.size() - 1));
    switch (o.type) {
      case MAP, TABLE -> mapWrite(tx, o.id, objs);
      case LIST -> listWrite(tx, o.id, objs);
      case TEXT -> textWrite(tx, o.id);
    }
    checkModels(tx, "inside the transaction");
  }

  // ---- maps ----

  private void mapWrite(Transaction tx, ObjId m, List<Obj> objs) {
    String key = KEYS[rnd.nextInt(KEYS.length)];
    int r = rnd.nextInt(10);
    if (r <= 3) {
      ScalarValue v = scalar();
      tx.put(m, key, v);
      assertSame(v, tx.get(m, key).orElseThrow(), "get after put");
      assertEquals(1, tx.getAll(m, key).size(), "a put resolves every conflict");
    } else if (r == 4) {
      ObjType t = TYPES[rnd.nextInt(TYPES.length)];
      ObjId id = tx.putObject(m, key, t);
      objs.add(new Obj(id, t));
      assertEquals(new Value.Obj(t, id), tx.get(m, key).orElseThrow());
    } else if (r <= 6) {
      tx.delete(m, key);
      assertTrue(tx.get(m, key).isEmpty(), "get after delete");
    } else if (r <= 8) {
      Optional<Value> cur = tx.get(m, key);
      if (cur.isPresent() && cur.get() instanceof ScalarValue.Counter c) {
        long by = rnd.nextInt(21) - 10;
        tx.increment(m, key, by);
        assertEquals(new ScalarValue.Counter(c.value() + by), tx.get(m, key).orElseThrow(), "counter after increment");
      } else {
        ScalarValue v = ScalarValue.counter(rnd.nextInt(100));
        tx.put(m, key, v);
        assertEquals(v, tx.get(m, key).orElseThrow());
      }
    } else {
      String s = randomText(4);
      ObjId t = tx.putText(m, key, s);
      objs.add(new Obj(t, ObjType.TEXT));
      assertEquals(s, tx.text(t));
    }
  }

  // ---- lists ----

  private List<Object> listModel(ReadDoc d, ObjId l) {
    return lists.computeIfAbsent(l, k -> {
      List<Object> m = new ArrayList<>();
      for (int i = 0; i < d.length(l); i++) {
        m.add(desc(d.get(l, i).orElseThrow()));
      }
      return m;
    });
  }

  private void listWrite(Transaction tx, ObjId l, List<Obj> objs) {
    List<Object> m = listModel(tx, l);
    int len = m.size();
    int r = rnd.nextInt(10);
    if (len == 0 && r >= 4 && r != 7) {
      r = 0;
    }
    switch (r) {
      case 0, 1, 2 -> {
        int i = rnd.nextInt(len + 1);
        ScalarValue v = scalar();
        tx.insert(l, i, v);
        m.add(i, desc(v));
      }
      case 3 -> {
        int i = rnd.nextInt(len + 1);
        ObjType t = TYPES[rnd.nextInt(TYPES.length)];
        ObjId id = tx.insertObject(l, i, t);
        objs.add(new Obj(id, t));
        m.add(i, desc(new Value.Obj(t, id)));
      }
      case 4, 5 -> {
        int i = rnd.nextInt(len);
        tx.delete(l, i);
        m.remove(i);
      }
      case 6 -> {
        int i = rnd.nextInt(len);
        ScalarValue v = scalar();
        tx.put(l, i, v);
        m.set(i, desc(v));
      }
      case 7 -> {
        int i = rnd.nextInt(len + 1);
        int del = rnd.nextInt(4);
        List<ScalarValue> vs = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
          vs.add(scalar());
        }
        tx.splice(l, i, del, vs);
        for (int k = 0; k < del && i < m.size(); k++) {
          m.remove(i);
        }
        for (int k = vs.size() - 1; k >= 0; k--) {
          m.add(i, desc(vs.get(k)));
        }
      }
      case 8 -> {
        int i = rnd.nextInt(len);
        if (m.get(i) instanceof ScalarValue.Counter c) {
          long by = rnd.nextInt(21) - 10;
          tx.increment(l, i, by);
          m.set(i, new ScalarValue.Counter(c.value() + by));
        } else {
          ScalarValue v = ScalarValue.counter(rnd.nextInt(50));
          tx.insert(l, i, v);
          m.add(i, v);
        }
      }
      default -> {
        int i = rnd.nextInt(len);
        ObjType t = TYPES[rnd.nextInt(TYPES.length)];
        ObjId id = tx.putObject(l, i, t);
        objs.add(new Obj(id, t));
        m.set(i, desc(new Value.Obj(t, id)));
      }
    }
  }

  // ---- text ----

  private StringBuilder textModel(ReadDoc d, ObjId t) {
    return texts.computeIfAbsent(t, k -> new StringBuilder(d.text(t)));
  }

  private void textWrite(Transaction tx, ObjId t) {
    StringBuilder sb = textModel(tx, t);
    int len = sb.length();
    int r = rnd.nextInt(10);
    if (r <= 4 || len == 0 && r <= 6) {
      int i = rnd.nextInt(len + 1);
      if (r == 0) {
        i = insideSurrogatePair(sb, i);
      }
      int del = rnd.nextInt(4);
      String s = rnd.nextInt(4) == 0 ? "" : randomText(3);
      tx.spliceText(t, i, del, s);
      spliceModel(sb, i, del, s);
    } else if (r == 5) {
      int i = rnd.nextInt(len);
      tx.delete(t, i);
      spliceModel(sb, i, 1, "");
    } else if (r <= 8) {
      int a = rnd.nextInt(len + 1);
      int b = rnd.nextInt(len + 1);
      if (rnd.nextInt(5) == 0) {
        b = a;
      }
      ExpandMark e = ExpandMark.values()[rnd.nextInt(4)];
      String name = MARK_NAMES[rnd.nextInt(MARK_NAMES.length)];
      if (r <= 7) {
        ScalarValue v = switch (rnd.nextInt(3)) {
          case 0 -> ScalarValue.TRUE;
          case 1 -> ScalarValue.of("https://x/" + rnd.nextInt(3));
          default -> ScalarValue.of((long) rnd.nextInt(3));
        };
        tx.mark(t, Math.min(a, b), Math.max(a, b), name, v, e);
      } else {
        tx.unmark(t, Math.min(a, b), Math.max(a, b), name, e);
      }
    } else {
      // a splice whose index falls inside a surrogate pair when there is one
      int i = insideSurrogatePair(sb, rnd.nextInt(len + 1));
      int del = 1 + rnd.nextInt(2);
      tx.spliceText(t, i, del, "");
      spliceModel(sb, i, del, "");
    }
  }

  private static int insideSurrogatePair(CharSequence s, int fallback) {
    for (int i = 1; i < s.length(); i++) {
      if (Character.isHighSurrogate(s.charAt(i - 1)) && Character.isLowSurrogate(s.charAt(i))) {
        return i;
      }
    }
    return fallback;
  }

  private static boolean inside(CharSequence s, int i) {
    return i > 0 && i < s.length() && Character.isHighSurrogate(s.charAt(i - 1)) && Character.isLowSurrogate(s.charAt(i));
  }

  /**
   * Automerge's splice on UTF-16 text (transaction/inner.rs inner_splice): an insert index inside a
   * surrogate pair moves past the pair; a delete that starts inside a pair skips to the pair's end;
   * each deleted code point counts its UTF-16 width.
   */
  static void spliceModel(StringBuilder sb, int index, int del, String text) {
    int at = index;
    if (!text.isEmpty()) {
      if (inside(sb, at)) {
        at++;
      }
      sb.insert(at, text);
      at += text.length();
    }
    int deleted = 0;
    while (deleted < del && at < sb.length()) {
      if (inside(sb, at)) {
        at++;
        continue;
      }
      int w = Character.charCount(sb.codePointAt(at));
      sb.delete(at, at + w);
      deleted += w;
    }
  }

  // ---- models ----

  private void checkModels(ReadDoc d, String when) {
    for (Map.Entry<ObjId, List<Object>> e : lists.entrySet()) {
      List<Object> actual = new ArrayList<>();
      for (int i = 0; i < d.length(e.getKey()); i++) {
        actual.add(desc(d.get(e.getKey(), i).orElseThrow()));
      }
      assertEquals(e.getValue(), actual, "list " + e.getKey() + " vs its model " + when);
      assertEquals(e.getValue().size(), ((List<?>) d.materialize(e.getKey())).size());
    }
    for (Map.Entry<ObjId, StringBuilder> e : texts.entrySet()) {
      assertEquals(e.getValue().toString(), d.text(e.getKey()), "text " + e.getKey() + " vs its model " + when);
      assertEquals(e.getValue().length(), d.length(e.getKey()));
      assertEquals(e.getValue().toString(), d.materialize(e.getKey()));
    }
  }

  /** What the model stores for a value: the scalar (f64 zero normalised, as puts compare by ==) or the object. */
  private static Object desc(Value v) {
    if (v instanceof ScalarValue.F64 f && f.value() == 0.0) {
      return new ScalarValue.F64(0.0);
    }
    return v;
  }

  private static void assertSame(ScalarValue expected, Value actual, String what) {
    if (expected instanceof ScalarValue.F64 a && actual instanceof ScalarValue.F64 b
        && (a.value() == b.value() || Double.isNaN(a.value()) && Double.isNaN(b.value()))) {
      return;
    }
    assertEquals(expected, actual, what);
  }

  // ---- values ----

  public String randomText(int max) {
    StringBuilder sb = new StringBuilder();
    for (int n = 1 + rnd.nextInt(max); n > 0; n--) {
      sb.append(CHARS[rnd.nextInt(CHARS.length)]);
    }
    return sb.toString();
  }

  /** A scalar of a random type, edge values included. */
  public ScalarValue scalar() {
    return switch (rnd.nextInt(11)) {
      case 0 -> ScalarValue.NULL;
      case 1 -> ScalarValue.of(rnd.nextBoolean());
      case 2 -> ScalarValue.of(switch (rnd.nextInt(5)) {
        case 0 -> Long.MIN_VALUE;
        case 1 -> Long.MAX_VALUE;
        case 2 -> 0L;
        default -> (long) rnd.nextInt(2000) - 1000;
      });
      case 3 -> ScalarValue.uint(rnd.nextInt(4) == 0 ? -1L : rnd.nextInt(1000));
      case 4 -> ScalarValue.of(switch (rnd.nextInt(6)) {
        case 0 -> Double.NaN;
        case 1 -> -0.0;
        case 2 -> Double.POSITIVE_INFINITY;
        case 3 -> 1e300;
        default -> rnd.nextInt(1000) / 8.0;
      });
      case 5, 6 -> ScalarValue.of(randomText(3));
      case 7 -> {
        byte[] b = new byte[rnd.nextInt(4)];
        rnd.nextBytes(b);
        yield ScalarValue.bytes(b);
      }
      case 8 -> ScalarValue.timestamp(rnd.nextInt(3) == 0 ? -62_198_755_200_000L : 1_700_000_000_000L + rnd.nextInt(1000));
      case 9 -> ScalarValue.counter(rnd.nextInt(100) - 50);
      default -> {
        byte[] b = new byte[1 + rnd.nextInt(3)];
        rnd.nextBytes(b);
        yield new ScalarValue.Unknown(10 + rnd.nextInt(6), Bytes.of(b));
      }
    };
  }
}
