package dev.loam.interop;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Same edits, same bytes: JS runs a seeded random script of API calls (every scalar type, objects,
 * inserts, deletes, splices, text with emoji, counters, marks with every expand mode, several
 * actors with merges between), and Loam replays the same calls with the same actors, messages and
 * times. Every change must come out byte for byte as JS wrote it, so hashes and heads agree too.
 */
class SameEditsSameBytesTest {
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
  Stream<DynamicTest> loamWritesTheChangesJsWrites() {
    return Seeds.tests(SameEditsSameBytesTest.class, this::check);
  }

  private void check(long seed) {
    JsonNode js = node.call("sameEdits", "seed", seed);
    Checks checks = new Checks();
    List<Document> docs = new ArrayList<>();
    for (JsonNode a : js.get("actors")) {
      docs.add(Document.create(ActorId.fromHex(a.asString())));
    }
    int stepNo = 0;
    for (JsonNode step : js.get("steps")) {
      String where = "step " + stepNo++;
      if (step.get("kind").asString().equals("merge")) {
        int into = step.get("into").asInt();
        int from = step.get("from").asInt();
        where += " (doc " + into + " merges doc " + from + ")";
        if (!checks.run(where, () -> docs.get(into).merge(docs.get(from)))) {
          break;
        }
        checks.equal(where + ": heads after merge", hashes(step.get("heads")), () -> hex(docs.get(into).heads().hashes()));
      } else if (!change(checks, docs, step, where)) {
        break;
      }
      if (!checks.ok()) {
        break; // later steps build on this one; report the first divergence only
      }
    }
    if (checks.ok()) {
      for (int i = 0; i < docs.size(); i++) {
        Document d = docs.get(i);
        JsonNode expected = js.get("docs").get(i);
        checks.equal("doc " + i + " heads", hashes(expected.get("heads")), () -> hex(d.heads().hashes()));
        checks.json("doc " + i + " JSON", expected.get("json"), () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
        checks.equal("doc " + i + " change set", new TreeSet<>(hashes(expected.get("changes"))),
            () -> new TreeSet<>(d.changes().stream().map(c -> c.bytes().hex()).toList()));
      }
    }
    checks.verify();
  }

  private boolean change(Checks checks, List<Document> docs, JsonNode step, String where) {
    int docNo = step.get("doc").asInt();
    Document doc = docs.get(docNo);
    String message = step.get("message").isNull() ? null : step.get("message").asString();
    long time = step.get("time").asLong();
    String fullWhere = where + " (doc " + docNo + " commits " + step.get("ops").size() + " ops)";
    List<String> idMismatches = new ArrayList<>();
    Optional<ChangeHash>[] made = new Optional[1];
    boolean ran = checks.run(fullWhere, () -> made[0] = doc.transact(new CommitOptions(Optional.ofNullable(message), OptionalLong.of(time)), tx -> {
      int i = 0;
      for (JsonNode op : step.get("ops")) {
        String[] ids;
        try {
          ids = Script.apply(tx, op);
        } catch (RuntimeException e) {
          throw new IllegalStateException("op " + i + " " + op + ": " + Checks.describe(e), e);
        }
        if (ids != null && !ids[0].equals(ids[1])) {
          idMismatches.add("op " + i + " " + op + " created " + ids[0]);
        }
        i++;
      }
    }));
    if (!ran) {
      checks.fail(fullWhere + " ops were " + step.get("ops"));
      return false;
    }
    for (String m : idMismatches) {
      checks.fail(fullWhere + ": object id differs from JS: " + m);
    }
    JsonNode jsHash = step.get("hash");
    if (jsHash.isNull()) {
      if (made[0].isPresent()) {
        checks.fail(fullWhere + ": JS made no change (no op emitted), Loam made " + made[0].get()
            + " " + decoded(doc.change(made[0].get()).map(Change::bytes).map(b -> b.hex()).orElse(null))
            + "\n    ops: " + step.get("ops"));
      }
      return checks.ok();
    }
    if (made[0].isEmpty()) {
      checks.fail(fullWhere + ": JS made change " + jsHash.asString() + ", Loam made none\n    JS change: "
          + decoded(step.get("change").asString()) + "\n    ops: " + step.get("ops"));
      return false;
    }
    String loamHex = doc.change(made[0].get()).map(c -> c.bytes().hex()).orElse("<change(hash) is empty>");
    String jsHex = step.get("change").asString();
    if (!loamHex.equals(jsHex)) {
      checks.fail(fullWhere + ": change bytes differ (first difference at hex digit " + firstDiff(jsHex, loamHex) + ")"
          + "\n    ops:  " + step.get("ops")
          + "\n    JS:   " + jsHex + "\n    Loam: " + loamHex
          + "\n    JS decoded:   " + decoded(jsHex) + "\n    Loam decoded: " + decoded(loamHex));
      return false;
    }
    checks.equal(fullWhere + ": hash", jsHash.asString(), () -> made[0].get().hex());
    checks.equal(fullWhere + ": heads", hashes(step.get("heads")), () -> hex(doc.heads().hashes()));
    return checks.ok();
  }

  private static int firstDiff(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }

  private static String decoded(String hex) {
    if (hex == null) {
      return "<none>";
    }
    try {
      return LoamJson.canonical(node.call("decode", "hex", hex));
    } catch (RuntimeException e) {
      return "<JS cannot decode it: " + e.getMessage().lines().findFirst().orElse("") + ">";
    }
  }

  static List<String> hashes(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode h : array) {
      out.add(h.asString());
    }
    return out;
  }

  static List<String> hex(List<ChangeHash> hashes) {
    return hashes.stream().map(ChangeHash::hex).toList();
  }
}
