package dev.loam.interop;

import static dev.loam.interop.SameEditsSameBytesTest.hashes;
import static dev.loam.interop.SameEditsSameBytesTest.hex;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Transaction;
import dev.loam.Value;
import dev.loam.undo.Revert;
import dev.loam.undo.UndoManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loam's revert changes against the JS reference: a random multi-actor history made by
 * {@code @automerge/automerge}, some of its changes reverted by Loam; JS must load the revert
 * change and read the same document, and a JS edit made concurrently with the revert must merge
 * to the same document and heads on both sides. The same for an undo manager's session of edits,
 * undos and redos.
 */
class RevertJsTest {
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

  @Test
  void jsReadsARestoredTextDeletionAsTheSameCharactersInPlace() {
    Document d = Document.create(ActorId.fromHex("aaaa"));
    ObjId t = d.putText(ObjId.ROOT, "t", "Hello world");
    d.commit();
    d.spliceText(t, 5, 6, "");
    ChangeHash del = d.commit().orElseThrow();
    Document other = d.fork();
    other.setActor(ActorId.fromHex("bbbb"));
    other.spliceText(t, 0, 0, "Oh, ");
    other.commit();
    d.merge(other);
    Revert.revert(d, CommitOptions.message("undo"), List.of(del)).orElseThrow();
    JsonNode js = readLoam(d);
    Checks checks = new Checks();
    checks.json("JS reads the reverted document", NodeDriver.JSON.readTree("{\"t\":\"Oh, Hello world\"}"), () -> js.get("json"));
    checks.json("Loam agrees", js.get("json"), () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
    checks.equal("heads", hashes(js.get("heads")), () -> hex(d.heads().hashes()));
    checks.verify();
  }

  @TestFactory
  Stream<DynamicTest> revertsOfRandomJsHistoriesConvergeWithJs() {
    return Seeds.tests(RevertJsTest.class, this::check);
  }

  private void check(long seed) {
    JsonNode history = node.call("sameEdits", "seed", seed);
    Document d = Document.create(ActorId.fromHex("ffffffff"));
    for (JsonNode doc : history.get("docs")) {
      List<byte[]> chunks = new ArrayList<>();
      doc.get("changes").forEach(c -> chunks.add(HexFormat.of().parseHex(c.asString())));
      d.applyChanges(chunks);
    }
    byte[] base = d.save();
    Random rnd = new Random(seed);
    List<Change> all = d.changes();
    List<ChangeHash> chosen = new ArrayList<>();
    if (rnd.nextBoolean()) {
      // everything one actor did, as an assistant's changes would be reverted
      var actor = all.get(rnd.nextInt(all.size())).actor();
      all.stream().filter(c -> c.actor().equals(actor)).forEach(c -> chosen.add(c.hash()));
    } else {
      all.stream().filter(c -> rnd.nextInt(3) == 0).forEach(c -> chosen.add(c.hash()));
    }
    var revert = Revert.revert(d, CommitOptions.message("revert").withTime(1_700_000_001L), chosen);
    Checks checks = new Checks();
    String what = "reverting " + chosen.size() + " of " + all.size() + " changes";
    JsonNode js = readLoam(d);
    checks.equal("JS is missing no dependency", List.of(), () -> hashes(js.get("missing")));
    checks.json("JS reads what Loam reads after " + what, js.get("json"), () -> LoamJson.plain(d.materialize(ObjId.ROOT)));

    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.put("base", HexFormat.of().formatHex(base));
    req.put("actor", "cccccccc");
    req.put("seed", seed);
    req.put("ops", 1 + rnd.nextInt(4));
    List<String> incoming = new ArrayList<>();
    revert.ifPresent(h -> incoming.add(d.change(h).orElseThrow().bytes().hex()));
    req.set("incoming", NodeDriver.JSON.valueToTree(incoming));
    JsonNode merged = node.call("editThenApply", req);
    List<byte[]> jsChanges = new ArrayList<>();
    merged.get("changes").forEach(c -> jsChanges.add(HexFormat.of().parseHex(c.asString())));
    d.applyChanges(jsChanges);
    checks.json("a concurrent JS edit merged with the revert (" + what + ")", merged.get("json"),
        () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
    checks.equal("heads after the merge", hashes(merged.get("heads")), () -> hex(d.heads().hashes()));
    checks.verify();
  }

  @TestFactory
  Stream<DynamicTest> undoAndRedoConvergeWithAConcurrentJsEdit() {
    return Seeds.tests(RevertJsTest.class, this::checkUndo);
  }

  /**
   * A Loam user edits a JS-made document through an undo manager (text splices, key puts and
   * deletes), undoes and redoes at random; a JS peer edits concurrently from the start of the
   * session. Both sides must end with the same document and heads.
   */
  private void checkUndo(long seed) {
    JsonNode history = node.call("sameEdits", "seed", seed);
    Document d = Document.create(ActorId.fromHex("ffffffff"));
    for (JsonNode doc : history.get("docs")) {
      List<byte[]> chunks = new ArrayList<>();
      doc.get("changes").forEach(c -> chunks.add(HexFormat.of().parseHex(c.asString())));
      d.applyChanges(chunks);
    }
    byte[] base = d.save();
    var start = d.heads();
    Random rnd = new Random(seed);
    UndoManager undo = UndoManager.builder().build(d);
    StringBuilder log = new StringBuilder();
    for (int step = 0; step < 8; step++) {
      int r = rnd.nextInt(10);
      if (r < 3) {
        log.append(" undo:").append(undo.undo().isPresent());
      } else if (r < 4) {
        log.append(" redo:").append(undo.redo().isPresent());
      } else {
        undo.change(tx -> log.append(' ').append(edit(rnd, tx)));
      }
    }
    List<String> incoming = new ArrayList<>();
    for (Change c : d.changesSince(start)) {
      incoming.add(c.bytes().hex());
    }
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.put("base", HexFormat.of().formatHex(base));
    req.put("actor", "cccccccc");
    req.put("seed", seed);
    req.put("ops", 1 + rnd.nextInt(4));
    req.set("incoming", NodeDriver.JSON.valueToTree(incoming));
    JsonNode merged = node.call("editThenApply", req);
    List<byte[]> jsChanges = new ArrayList<>();
    merged.get("changes").forEach(c -> jsChanges.add(HexFormat.of().parseHex(c.asString())));
    d.applyChanges(jsChanges);
    Checks checks = new Checks();
    checks.equal("JS is missing no dependency", List.of(), () -> hashes(merged.get("missing")));
    checks.json("the document after a concurrent JS edit and Loam's session:" + log, merged.get("json"),
        () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
    checks.equal("heads", hashes(merged.get("heads")), () -> hex(d.heads().hashes()));
    checks.verify();
  }

  /** One edit of the root: a splice into a text held by a root key, or a put or delete of a root key. */
  private static String edit(Random rnd, Transaction tx) {
    List<ObjId> texts = new ArrayList<>();
    for (String k : tx.keys(ObjId.ROOT)) {
      if (tx.get(ObjId.ROOT, k).orElseThrow() instanceof Value.Obj o && o.type() == ObjType.TEXT) {
        texts.add(o.id());
      }
    }
    int r = rnd.nextInt(10);
    if (!texts.isEmpty() && r < 6) {
      ObjId t = texts.get(rnd.nextInt(texts.size()));
      int len = tx.length(t);
      int at = rnd.nextInt(len + 1);
      int del = rnd.nextInt(Math.min(3, len - at) + 1);
      String s = "xyz".substring(0, rnd.nextInt(4));
      tx.spliceText(t, at, del, s);
      return "splice " + t + " " + at + " " + del + " \"" + s + "\"";
    }
    String key = new String[] {"a", "b", "title", "n"}[rnd.nextInt(4)];
    if (r < 8) {
      tx.put(ObjId.ROOT, key, "v" + rnd.nextInt(100));
      return "put " + key;
    }
    tx.delete(ObjId.ROOT, key);
    return "delete " + key;
  }

  private static JsonNode readLoam(Document d) {
    List<String> changes = new ArrayList<>();
    for (Change c : d.changes()) {
      changes.add(c.bytes().hex());
    }
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.set("changes", NodeDriver.JSON.valueToTree(changes));
    req.put("file", HexFormat.of().formatHex(d.saveChanges()));
    return node.call("readLoam", req);
  }
}
