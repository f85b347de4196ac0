package dev.loam.interop;

import static dev.loam.interop.SameEditsSameBytesTest.hashes;
import static dev.loam.interop.SameEditsSameBytesTest.hex;

import dev.loam.ActorId;
import dev.loam.Cursor;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Same merge: JS builds a seeded random history of 3–4 actors editing concurrently and merging,
 * and reports what its merged document says. Loam applies the same changes in a seeded random
 * order, with duplicates, in several batches, and must say the same: JSON, heads, conflicts
 * ({@code getAll} against {@code getAll}/{@code getConflicts}, ascending OpId), marks, the state at
 * past heads, {@code diff} patches between heads, and where JS cursors point.
 */
class SameMergeTest {
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
  Stream<DynamicTest> loamMergesJsHistoriesAsJsDoes() {
    return Seeds.tests(SameMergeTest.class, this::check);
  }

  private void check(long seed) {
    JsonNode js = node.call("sameMerge", "seed", seed);
    Checks checks = new Checks();
    Random rnd = new Random(seed);

    List<byte[]> changes = new ArrayList<>();
    for (JsonNode c : js.get("changes")) {
      changes.add(java.util.HexFormat.of().parseHex(c.asString()));
    }
    List<byte[]> delivery = new ArrayList<>(changes);
    for (byte[] c : changes) {
      if (rnd.nextInt(3) == 0) {
        delivery.add(c); // a duplicate
      }
    }
    Collections.shuffle(delivery, rnd);
    Document doc = Document.create(ActorId.random(rnd));
    int batches = 1 + rnd.nextInt(4);
    int from = 0;
    for (int b = 0; b < batches; b++) {
      int to = b == batches - 1 ? delivery.size() : from + rnd.nextInt(delivery.size() - from + 1);
      List<byte[]> batch = delivery.subList(from, to);
      String what = "applyChanges batch " + (b + 1) + "/" + batches + " (" + batch.size() + " chunks)";
      if (!checks.run(what, () -> doc.applyChanges(batch))) {
        checks.verify();
      }
      from = to;
    }

    checks.equal("heads", hashes(js.get("heads")), () -> hex(doc.heads().hashes()));
    checks.json("JSON", js.get("json"), () -> LoamJson.plain(doc.materialize(ObjId.ROOT)));

    for (JsonNode c : js.get("conflicts")) {
      ObjId obj = ObjId.parse(c.get("obj").asString());
      boolean byKey = c.has("key");
      String where = "getAll(" + obj + ", " + (byKey ? "\"" + c.get("key").asString() + "\"" : c.get("index").asInt()) + ")";
      List<Value> all;
      try {
        all = byKey ? doc.getAll(obj, c.get("key").asString()) : doc.getAll(obj, c.get("index").asInt());
      } catch (RuntimeException e) {
        checks.fail(where + ": Loam threw " + Checks.describe(e));
        continue;
      }
      ArrayNode loam = JsonNodeFactory.instance.arrayNode();
      all.forEach(v -> loam.add(LoamJson.typed(v)));
      JsonNode expected = c.get("values");
      boolean same = expected.size() == loam.size();
      for (int i = 0; same && i < loam.size(); i++) {
        same = LoamJson.sameTyped(expected.get(i), loam.get(i));
      }
      if (!same) {
        checks.fail(where + " (ascending OpId, winner last)\n    JS:   " + LoamJson.canonical(expected)
            + "\n    Loam: " + LoamJson.canonical(loam));
      }
    }

    checkMarks(checks, doc, js.get("marks"), null, "");

    for (JsonNode p : js.get("past")) {
      Heads heads = heads(p.get("heads"));
      String at = " at heads [" + heads + "]";
      checks.json("JSON" + at, p.get("json"), () -> LoamJson.plain(doc.materialize(ObjId.ROOT, heads)));
      checkMarks(checks, doc, p.get("marks"), heads, at);
    }

    for (JsonNode d : js.get("diffs")) {
      Heads before = heads(d.get("before"));
      Heads after = heads(d.get("after"));
      checks.json("diff([" + before + "] -> [" + after + "])", d.get("patches"),
          () -> LoamJson.patches(doc.diff(before, after)));
    }

    for (JsonNode c : js.get("cursors")) {
      ObjId obj = ObjId.parse(c.get("obj").asString());
      Heads heads = heads(c.get("heads"));
      int index = c.get("index").asInt();
      Cursor.Move move = c.get("move").asString().equals("before") ? Cursor.Move.BEFORE : Cursor.Move.AFTER;
      String jsCursor = c.get("cursor").asString();
      String where = "cursor(" + obj + ", " + index + ", " + move + ") at heads [" + heads + "]";
      checks.equal(where, jsCursor, () -> doc.cursor(obj, index, move, heads).toString());
      checks.equal("resolveCursor(" + obj + ", \"" + jsCursor + "\") at those heads", c.get("positionThen").asInt(),
          () -> doc.resolveCursor(obj, Cursor.parse(jsCursor), heads));
      checks.equal("resolveCursor(" + obj + ", \"" + jsCursor + "\") now", c.get("positionNow").asInt(),
          () -> doc.resolveCursor(obj, Cursor.parse(jsCursor)));
    }
    checks.verify();
  }

  private static void checkMarks(Checks checks, Document doc, JsonNode texts, Heads heads, String at) {
    for (JsonNode t : texts) {
      ObjId obj = ObjId.parse(t.get("obj").asString());
      checks.equal("text(" + obj + ")" + at, t.get("text").asString(),
          () -> heads == null ? doc.text(obj) : doc.text(obj, heads));
      checks.json("marks(" + obj + ")" + at, t.get("marks"),
          () -> LoamJson.marks(heads == null ? doc.marks(obj) : doc.marks(obj, heads)));
    }
  }

  static Heads heads(JsonNode array) {
    return Heads.parse(String.join(",", hashes(array)));
  }
}
