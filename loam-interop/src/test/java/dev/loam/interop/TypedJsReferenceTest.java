package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.typed.Counter;
import dev.loam.typed.JsonNodes;
import dev.loam.typed.Key;
import dev.loam.typed.Mapper;
import dev.loam.typed.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed documents as Automerge JS sees them: Loam writes a random record with {@link Mapper}, JS
 * applies Loam's changes and its JSON must be the record in the documented mapping (text and
 * strings as strings, counters as numbers, instants as ISO dates, bytes as base64, enums by name,
 * an empty Optional absent); then two Loam replicas reconcile concurrent random edits, and JS's
 * merge of all their changes (shuffled) must equal what Loam's mapper reads from Loam's merge, and
 * what {@link JsonNodes} reads.
 */
class TypedJsReferenceTest {
  enum Kind { TODO, DOING, DONE }

  record Item(@Key String id, @Text String label, Kind kind, Optional<Long> due) {}

  record Board(@Text String title, String owner, Counter votes, boolean open, double weight, Instant at, byte[] raw,
      List<Item> items, Map<String, Double> scores, List<String> tags) {}

  private static final Mapper<Board> MAPPER = Mapper.of(Board.class);
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
  Stream<DynamicTest> jsSeesTypedWritesAndMergesThemAsLoamDoes() {
    return Seeds.tests(TypedJsReferenceTest.class, seed -> {
      Random rnd = new Random(seed);
      int[] fresh = {0};
      Document a = Document.create(ActorId.fromHex("0a"));
      Board base = edit(rnd, new Board("", "", Counter.ZERO, false, 0.5, Instant.EPOCH, new byte[0], List.of(), Map.of(), List.of()), fresh);
      a.transact(tx -> MAPPER.reconcile(tx, base));
      assertEquals(normal(expected(base)), js(a, rnd), "JS reads the record as written");

      Document b = a.fork();
      b.setActor(ActorId.fromHex("0b"));
      for (int round = 0; round < 3; round++) {
        Board start = MAPPER.read(a);
        Board va = edit(rnd, start, fresh);
        Board vb = edit(rnd, start, fresh);
        a.transact(tx -> MAPPER.reconcile(tx, va));
        b.transact(tx -> MAPPER.reconcile(tx, vb));
        a.merge(b);
        b.merge(a);
        JsonNode js = js(a, rnd);
        assertEquals(js, normal(expected(MAPPER.read(a))), "JS's merge is what Loam's mapper reads");
        assertEquals(js, normal(JsonNodes.read(a)), "and what JsonNodes reads");
      }
    });
  }

  /** JS's JSON of the document after applying all of Loam's changes in a random order. */
  private static JsonNode js(Document doc, Random rnd) {
    List<String> changes = new ArrayList<>();
    for (Change c : doc.changes()) {
      changes.add(c.bytes().hex());
    }
    Collections.shuffle(changes, rnd);
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.set("changes", NodeDriver.JSON.valueToTree(changes));
    JsonNode out = node.call("readLoam", req);
    assertEquals(0, out.get("missing").size(), "JS misses no dependency");
    return out.get("json");
  }

  /** {@code json} as JSON text parses: numbers as the smallest node type, binary as base64 strings. */
  private static JsonNode normal(JsonNode json) {
    return NodeDriver.JSON.readTree(NodeDriver.JSON.writeValueAsString(json));
  }

  /** The record in the documented mapping, as JS prints a document. */
  private static JsonNode expected(Board v) {
    ObjectNode o = NodeDriver.JSON.createObjectNode();
    o.put("title", v.title());
    o.put("owner", v.owner());
    o.put("votes", v.votes().value());
    o.put("open", v.open());
    o.put("weight", v.weight());
    o.put("at", v.at().toString().replace("Z", "").length() == 19 ? v.at().toString().replace("Z", ".000Z") : v.at().toString());
    o.put("raw", Base64.getEncoder().encodeToString(v.raw()));
    ArrayNode items = o.putArray("items");
    for (Item i : v.items()) {
      ObjectNode io = items.addObject();
      io.put("id", i.id());
      io.put("label", i.label());
      io.put("kind", i.kind().name());
      i.due().ifPresent(d -> io.put("due", d));
    }
    ObjectNode scores = o.putObject("scores");
    v.scores().forEach(scores::put);
    ArrayNode tags = o.putArray("tags");
    v.tags().forEach(tags::add);
    return o;
  }

  private static Board edit(Random rnd, Board s, int[] fresh) {
    String title = s.title();
    if (rnd.nextBoolean()) {
      StringBuilder t = new StringBuilder(title);
      int at = t.offsetByCodePoints(0, rnd.nextInt(t.codePointCount(0, t.length()) + 1));
      t.insert(at, rnd.nextBoolean() ? "é" + fresh[0]++ : "😀");
      if (t.length() > 4 && rnd.nextBoolean()) {
        int from = t.offsetByCodePoints(0, rnd.nextInt(t.codePointCount(0, t.length())));
        t.delete(from, from + Character.charCount(t.codePointAt(from))); // a whole code point: no lone surrogates
      }
      title = t.toString();
    }
    List<Item> items = new ArrayList<>(s.items());
    if (!items.isEmpty() && rnd.nextInt(3) == 0) {
      items.remove(rnd.nextInt(items.size()));
    }
    for (int k = 0; k < items.size(); k++) {
      Item i = items.get(k);
      switch (rnd.nextInt(4)) {
        case 0 -> items.set(k, new Item(i.id(), i.label() + "+", i.kind(), i.due()));
        case 1 -> items.set(k, new Item(i.id(), i.label(), Kind.values()[rnd.nextInt(3)], i.due()));
        case 2 -> items.set(k, new Item(i.id(), i.label(), i.kind(), rnd.nextBoolean() ? Optional.empty() : Optional.of((long) rnd.nextInt(100))));
        default -> { }
      }
    }
    if (rnd.nextBoolean()) {
      items.add(rnd.nextInt(items.size() + 1), new Item("i" + fresh[0]++, "item", Kind.TODO, Optional.empty()));
    }
    Map<String, Double> scores = new LinkedHashMap<>(s.scores());
    String key = "k" + rnd.nextInt(3);
    if (rnd.nextInt(3) == 0) {
      scores.remove(key);
    } else {
      scores.put(key, rnd.nextInt(10) + 0.5);
    }
    List<String> tags = new ArrayList<>(s.tags());
    if (!tags.isEmpty() && rnd.nextBoolean()) {
      tags.remove(rnd.nextInt(tags.size()));
    }
    tags.add(rnd.nextInt(tags.size() + 1), "t" + fresh[0]++);
    return new Board(title, rnd.nextInt(3) == 0 ? "owner" + rnd.nextInt(3) : s.owner(),
        rnd.nextBoolean() ? s.votes().plus(1) : s.votes(), rnd.nextInt(3) == 0 != s.open(),
        rnd.nextInt(3) == 0 ? rnd.nextInt(100) + 0.25 : s.weight(),
        rnd.nextInt(3) == 0 ? Instant.ofEpochMilli(1_700_000_000_000L + rnd.nextInt(1_000_000)) : s.at(),
        rnd.nextInt(4) == 0 ? new byte[] {(byte) rnd.nextInt(), (byte) rnd.nextInt()} : s.raw(),
        items, scores, tags);
  }
}
