package dev.loam.interop;

import static dev.loam.interop.SameEditsSameBytesTest.hashes;
import static dev.loam.interop.SameEditsSameBytesTest.hex;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ExpandMark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JS reads Loam: Loam runs a seeded random script (several actors, merges), JS applies Loam's
 * change chunks (shuffled, so JS must queue them) and loads Loam's saved file; JS's JSON and
 * heads are the expected values and Loam must agree with them.
 */
class JsReadsLoamTest {
  private static final String[] KEYS = {"a", "b", "c", "title", "ü", "k😀"};
  private static final String[] CHARS = {"a", "b", "c", " ", "é", "中", "😀", "🌍", "\n"};
  private static final String[] MARKS = {"bold", "em", "link"};
  private static NodeDriver node;

  @BeforeAll
  static void startNode() {
    node = NodeDriver.start();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> jsReadsWhatLoamWrites() {
    return Seeds.tests(JsReadsLoamTest.class, this::check);
  }

  private void check(long seed) {
    Random rnd = new Random(seed * 7919);
    List<Document> docs = new ArrayList<>();
    for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
      docs.add(Document.create(ActorId.random(rnd)));
    }
    long time = 1_700_000_000L + rnd.nextInt(100_000);
    StringBuilder log = new StringBuilder();
    int steps = 4 + rnd.nextInt(7);
    for (int s = 0; s < steps; s++) {
      if (docs.size() > 1 && rnd.nextInt(4) == 0) {
        int into = rnd.nextInt(docs.size());
        int from = (into + 1 + rnd.nextInt(docs.size() - 1)) % docs.size();
        log.append("\n  doc ").append(into).append(" merges doc ").append(from);
        docs.get(into).merge(docs.get(from));
      } else {
        int d = rnd.nextInt(docs.size());
        int ops = 1 + rnd.nextInt(5);
        time += rnd.nextInt(3000);
        log.append("\n  doc ").append(d).append(" commits:");
        docs.get(d).transact(CommitOptions.message("step " + s).withTime(time), tx -> {
          for (int i = 0; i < ops; i++) {
            log.append(' ').append(randomEdit(rnd, tx)).append(';');
          }
        });
      }
    }
    Document merged = docs.get(0);
    for (int i = 1; i < docs.size(); i++) {
      merged.merge(docs.get(i));
    }

    List<String> changes = new ArrayList<>();
    for (Change c : merged.changes()) {
      changes.add(c.bytes().hex());
    }
    Collections.shuffle(changes, rnd);
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.set("changes", NodeDriver.JSON.valueToTree(changes));
    req.put("file", HexFormat.of().formatHex(merged.saveChanges()));
    JsonNode js = node.call("readLoam", req);

    Checks checks = new Checks();
    checks.equal("JS is missing no dependency", List.of(), () -> hashes(js.get("missing")));
    checks.equal("heads (JS applyChanges)", hashes(js.get("heads")), () -> hex(merged.heads().hashes()));
    checks.json("JSON (JS applyChanges)", js.get("json"), () -> LoamJson.plain(merged.materialize(ObjId.ROOT)));
    checks.equal("heads (JS load of saveChanges)", hashes(js.get("load").get("heads")), () -> hex(merged.heads().hashes()));
    checks.json("JSON (JS load of saveChanges)", js.get("load").get("json"), () -> LoamJson.plain(merged.materialize(ObjId.ROOT)));
    if (!checks.ok()) {
      checks.fail("Loam's script was:" + log);
    }
    checks.verify();
  }

  private record Obj(ObjId id, ObjType type) {}

  private static void collect(Transaction tx, ObjId id, ObjType type, List<Obj> out) {
    out.add(new Obj(id, type));
    if (type == ObjType.TEXT) {
      return;
    }
    if (type == ObjType.MAP) {
      for (String k : tx.keys(id)) {
        tx.get(id, k).ifPresent(v -> {
          if (v instanceof Value.Obj o) {
            collect(tx, o.id(), o.type(), out);
          }
        });
      }
    } else {
      for (int i = 0, n = tx.length(id); i < n; i++) {
        tx.get(id, i).ifPresent(v -> {
          if (v instanceof Value.Obj o) {
            collect(tx, o.id(), o.type(), out);
          }
        });
      }
    }
  }

  private static ScalarValue randomScalar(Random rnd) {
    return switch (rnd.nextInt(9)) {
      case 0 -> ScalarValue.of(randomText(rnd, 4));
      case 1 -> ScalarValue.of((long) rnd.nextInt() * (rnd.nextBoolean() ? 1 : 1000));
      case 2 -> ScalarValue.uint(rnd.nextInt(Integer.MAX_VALUE));
      case 3 -> ScalarValue.of(new double[] {0.5, -0.0, 1e21, Math.PI, -7.25, Double.NaN}[rnd.nextInt(6)]);
      case 4 -> ScalarValue.of(rnd.nextBoolean());
      case 5 -> ScalarValue.NULL;
      case 6 -> ScalarValue.bytes(new byte[] {(byte) rnd.nextInt(), 0, 7});
      case 7 -> ScalarValue.timestamp(1_700_000_000_123L + rnd.nextInt());
      default -> ScalarValue.counter(rnd.nextInt(100) - 50);
    };
  }

  private static String randomText(Random rnd, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(max + 1); i > 0; i--) {
      sb.append(CHARS[rnd.nextInt(CHARS.length)]);
    }
    return sb.toString();
  }

  /** Makes one random valid edit and describes it. */
  private static String randomEdit(Random rnd, Transaction tx) {
    List<Obj> objs = new ArrayList<>();
    collect(tx, ObjId.ROOT, ObjType.MAP, objs);
    Obj target = objs.size() > 1 && rnd.nextInt(4) > 0 ? objs.get(1 + rnd.nextInt(objs.size() - 1)) : objs.get(0);
    ObjId obj = target.id();
    boolean canCreate = objs.size() < 10;
    ObjType newType = new ObjType[] {ObjType.MAP, ObjType.LIST, ObjType.TEXT}[rnd.nextInt(3)];
    int r = rnd.nextInt(100);
    switch (target.type()) {
      case MAP, TABLE -> {
        String key = KEYS[rnd.nextInt(KEYS.length)];
        var cur = tx.get(obj, key);
        if (cur.isPresent() && cur.get() instanceof ScalarValue.Counter && r < 40) {
          tx.increment(obj, key, rnd.nextInt(20) - 5);
          return "increment " + obj + " " + key;
        }
        if (r < 55 || !canCreate) {
          ScalarValue v = randomScalar(rnd);
          tx.put(obj, key, v);
          return "put " + obj + " " + key + " " + v;
        }
        if (r < 85) {
          ObjId made = tx.putObject(obj, key, newType);
          return "putObject " + obj + " " + key + " " + newType + " -> " + made;
        }
        tx.delete(obj, key);
        return "delete " + obj + " " + key;
      }
      case LIST -> {
        int len = tx.length(obj);
        if (len > 0 && r < 45) {
          int i = rnd.nextInt(len);
          if (r < 15) {
            tx.delete(obj, i);
            return "delete " + obj + " " + i;
          }
          if (r < 30) {
            ScalarValue v = randomScalar(rnd);
            tx.put(obj, i, v);
            return "put " + obj + " " + i + " " + v;
          }
          int del = rnd.nextInt(Math.min(3, len - i) + 1);
          tx.splice(obj, i, del, List.of(ScalarValue.of(rnd.nextInt(9)), ScalarValue.of("s")));
          return "splice " + obj + " " + i + " " + del;
        }
        int i = rnd.nextInt(len + 1);
        if (r < 60 && canCreate) {
          ObjId made = tx.insertObject(obj, i, newType);
          return "insertObject " + obj + " " + i + " " + newType + " -> " + made;
        }
        ScalarValue v = randomScalar(rnd);
        tx.insert(obj, i, v);
        return "insert " + obj + " " + i + " " + v;
      }
      case TEXT -> {
        int len = tx.length(obj);
        if (r < 65 || len == 0) {
          int i = rnd.nextInt(len + 1);
          int del = rnd.nextInt(Math.min(3, len - i) + 1);
          String text = randomText(rnd, 5);
          tx.spliceText(obj, i, del, text);
          return "spliceText " + obj + " " + i + " " + del + " " + Map.of("text", text);
        }
        int start = rnd.nextInt(len + 1);
        int end = start + rnd.nextInt(len - start + 1);
        String name = MARKS[rnd.nextInt(MARKS.length)];
        ExpandMark expand = ExpandMark.values()[rnd.nextInt(4)];
        if (r < 88) {
          ScalarValue v = rnd.nextBoolean() ? ScalarValue.TRUE : ScalarValue.of("v" + rnd.nextInt(3));
          tx.mark(obj, start, end, name, v, expand);
          return "mark " + obj + " " + start + ".." + end + " " + name + "=" + v + " " + expand;
        }
        tx.unmark(obj, start, end, name, expand);
        return "unmark " + obj + " " + start + ".." + end + " " + name + " " + expand;
      }
    }
    throw new AssertionError();
  }
}
