package dev.loam.interop;

import static dev.loam.interop.SameEditsSameBytesTest.hashes;
import static dev.loam.interop.SameEditsSameBytesTest.hex;

import dev.loam.Document;
import dev.loam.ObjId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every file JS 3.5.0 wrote for this project ({@code src/test/resources/js-generated}) loads in
 * Loam with the JSON, heads, change count and marks JS reports for it, and the heads and JSON
 * recorded in {@code manifest.json}.
 */
class JsFixturesTest {
  private static final Path DIR = NodeDriver.moduleDir().resolve("src/test/resources/js-generated");
  /** Which manifest entry describes which file. */
  private static final Map<String, String> MANIFEST_KEY = Map.of(
      "basic", "basic", "concurrent", "concurrent", "marks-scalars", "marksScalars",
      "longtext", "longtext", "incremental", "incremental", "empty", "empty");
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
  Stream<DynamicTest> loamLoadsEveryJsFixtureAsJsDoes() throws IOException {
    JsonNode manifest = NodeDriver.JSON.readTree(Files.readString(DIR.resolve("manifest.json")));
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".automerge") || p.toString().endsWith(".bin")).sorted().toList();
    }
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f, manifest)));
  }

  private static void check(Path file, JsonNode manifest) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode js = node.call("load", "hex", HexFormat.of().formatHex(bytes));
    Checks checks = new Checks();
    Document[] doc = new Document[1];
    if (!checks.run("Document.load(" + file.getFileName() + ")", () -> doc[0] = Document.load(bytes))) {
      checks.verify();
    }
    Document d = doc[0];
    checks.equal("heads", hashes(js.get("heads")), () -> hex(d.heads().hashes()));
    checks.json("JSON", js.get("json"), () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
    checks.equal("number of changes", js.get("changes").asInt(), () -> d.changes().size());
    for (JsonNode t : js.get("marks")) {
      ObjId obj = ObjId.parse(t.get("obj").asString());
      checks.json("marks(" + obj + ")", t.get("marks"), () -> LoamJson.marks(d.marks(obj)));
    }
    String name = file.getFileName().toString();
    String key = MANIFEST_KEY.get(name.substring(0, name.indexOf('.')));
    JsonNode m = key == null ? null : manifest.get(key);
    if (m != null && m.has("heads")) {
      checks.equal("manifest heads", hashes(m.get("heads")), () -> hex(d.heads().hashes()));
    }
    if (m != null && m.has("json")) {
      checks.json("manifest JSON", m.get("json"), () -> LoamJson.plain(d.materialize(ObjId.ROOT)));
    }
    if (key != null && key.equals("empty")) {
      checks.equal("empty document saves as in JS", m.get("hex").asString(), () -> HexFormat.of().formatHex(bytes));
    }
    checks.verify();
  }
}
