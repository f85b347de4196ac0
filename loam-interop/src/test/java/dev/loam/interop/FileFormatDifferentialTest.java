package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.LoadOptions;
import dev.loam.ObjId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loam writes Automerge's document format canonically (issue 3). JS ({@code js/files.mjs}) builds a
 * random history (concurrent actors, marks, every scalar type, long texts that pass the DEFLATE
 * threshold, withheld changes that leave orphans) and applies it to a fresh document in batches.
 * Loam applies the same batches in the same order, and then:
 *
 * <ul>
 *   <li>Loam's {@code save()} equals JS's section by section after inflating columns, orphans
 *       included, at the mid-point and at the end;
 *   <li>JS loads Loam's save with JS's JSON and heads;
 *   <li>a JS save loaded by Loam and saved again loads back in JS identical, and is canonical too;
 *   <li>Loam's mid-point save plus its {@code saveIncremental()} load in JS as the final document.
 * </ul>
 */
class FileFormatDifferentialTest {
  private static FilesNode node;

  @BeforeAll
  static void startNode() {
    node = FilesNode.start();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> loamSavesWhatJsSavesAndEachLoadsTheOther() {
    return Seeds.tests(FileFormatDifferentialTest.class, this::check);
  }

  private void check(long seed) {
    JsonNode js = bySeed("history", seed);
    JsonNode batches = js.get("batches");
    int mid = js.get("mid").asInt();
    Document doc = Document.create(ActorId.random(new Random(seed)));
    byte[] loamMid = null;
    for (int i = 0; i < batches.size(); i++) {
      if (i == mid) {
        loamMid = doc.save();
        assertCanonical("save() before batch " + i, unhex(js.get("midSave")), loamMid);
      }
      List<byte[]> batch = new ArrayList<>();
      for (JsonNode c : batches.get(i)) {
        batch.add(unhex(c));
      }
      doc.applyChanges(batch);
    }
    if (loamMid == null) {
      loamMid = doc.save();
      assertCanonical("save() at the mid-point", unhex(js.get("midSave")), loamMid);
    }
    byte[] incremental = doc.saveIncremental();
    assertEquals(SameEditsSameBytesTest.hashes(js.get("heads")), SameEditsSameBytesTest.hex(doc.heads().hashes()), "heads");

    byte[] jsSave = unhex(js.get("save"));
    byte[] loamSave = doc.save();
    assertCanonical("save()", jsSave, loamSave);

    JsonNode jsLoadsLoam = load(loamSave, null);
    assertSameDoc("JS loading Loam's save()", js, jsLoadsLoam);

    byte[] resaved = Document.load(jsSave).save();
    assertCanonical("Loam's load(JS save()).save()", jsSave, resaved);
    assertSameDoc("JS loading Loam's re-save of JS's save()", js, load(resaved, null));

    assertSameDoc("JS loading Loam's mid-point save() + saveIncremental()", js, load(loamMid, incremental));
  }

  /**
   * A document of thousands of changes (JS's save) loads verified, its changes re-encoded and
   * hashed on two threads in blocks, and unverified, with JS's heads and change count, and saves
   * back as JS saved it.
   */
  @TestFactory
  Stream<DynamicTest> aJsDocumentOfThousandsOfChangesLoadsWithJsHeads() {
    return Seeds.tests(FileFormatDifferentialTest.class, 3, seed -> {
      JsonNode js = bySeed("bigHistory", seed);
      byte[] save = unhex(js.get("save"));
      int changes = js.get("changes").asInt();
      assertTrue(changes > 2500, "a history long enough for several blocks: " + changes);
      List<String> heads = SameEditsSameBytesTest.hashes(js.get("heads"));
      Document verified = Document.load(save);
      assertEquals(heads, SameEditsSameBytesTest.hex(verified.heads().hashes()), "heads, verified load");
      assertEquals(changes, verified.changes().size(), "changes, verified load");
      assertCanonical("save() of the verified load", save, verified.save());
      Document deferred = Document.load(save, LoadOptions.builder().deferVerification(true).build());
      assertEquals(heads, SameEditsSameBytesTest.hex(deferred.heads().hashes()), "heads, deferred load");
      assertEquals(changes, deferred.changes().size(), "changes, deferred load");
    });
  }

  /**
   * A document of one change of more than 16,384 ops (JS's save): its verified load re-encodes
   * that change with the columns written on two cores, and must give JS's hash.
   */
  @TestFactory
  Stream<DynamicTest> aJsChangeOfTensOfThousandsOfOpsLoadsWithItsHash() {
    return Seeds.tests(FileFormatDifferentialTest.class, 3, seed -> {
      JsonNode js = bySeed("bigChange", seed);
      assertTrue(js.get("ops").asInt() > 16_384, "a change large enough to be split: " + js.get("ops"));
      byte[] save = unhex(js.get("save"));
      Document verified = Document.load(save);
      assertEquals(SameEditsSameBytesTest.hashes(js.get("heads")), SameEditsSameBytesTest.hex(verified.heads().hashes()),
          "heads, verified load");
      assertCanonical("save() of the verified load", save, verified.save());
    });
  }

  /** What the JS driver's command {@code cmd} returns for {@code seed}. */
  private static JsonNode bySeed(String cmd, long seed) {
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.put("seed", seed);
    return node.call(cmd, req);
  }

  private static JsonNode load(byte[] file, byte[] incr) {
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.put("file", HexFormat.of().formatHex(file));
    if (incr != null) {
      req.put("incr", HexFormat.of().formatHex(incr));
    }
    return node.call("load", req);
  }

  private static void assertSameDoc(String what, JsonNode expected, JsonNode actual) {
    assertEquals(LoamJson.canonical(expected.get("json")), LoamJson.canonical(actual.get("json")), what + ": JSON");
    assertEquals(SameEditsSameBytesTest.hashes(expected.get("heads")), SameEditsSameBytesTest.hashes(actual.get("heads")),
        what + ": heads");
  }

  private static void assertCanonical(String what, byte[] js, byte[] loam) {
    assertEquals(String.join("\n", DocumentChunkSections.describe(js)),
        String.join("\n", DocumentChunkSections.describe(loam)), what + " (JS vs Loam, columns inflated)");
  }

  private static byte[] unhex(JsonNode n) {
    return HexFormat.of().parseHex(n.asString());
  }
}
