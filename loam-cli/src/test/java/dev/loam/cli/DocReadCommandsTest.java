package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** {@code doc json}, {@code doc heads} and {@code doc log} on files written by Automerge JS 3.5.0. */
class DocReadCommandsTest {
  @TempDir Path dir;

  private static final JsonNode MANIFEST = Cli.manifest();

  @ParameterizedTest
  @CsvSource({
    "basic.doc.automerge, basic",
    "basic.change.bin, basic",
    "concurrent.doc.automerge, concurrent",
    "concurrent.changes.bin, concurrent",
    "incremental.concat.automerge, incremental"
  })
  void printsTheJsonJsPrintsForTheFixture(String file, String entry) {
    String out = Cli.run("doc", "json", Cli.fixture(dir, file)).ok();
    assertTrue(out.endsWith("}\n") && out.indexOf('\n') == out.length() - 1, "one line: " + out);
    assertEquals(MANIFEST.get(entry).get("json"), Cli.json(out));
  }

  @ParameterizedTest
  @CsvSource({"marks-scalars.doc.automerge", "marks-scalars.changes.bin"})
  void printsEveryScalarTypeOfTheMarksFixture(String file) {
    JsonNode doc = Cli.json(Cli.run("doc", "json", Cli.fixture(dir, file)).ok());
    // manifest.json gives date as milliseconds and bytes as hex; the CLI prints ISO dates and base64.
    JsonNode expected = Cli.json("""
        {"imm":"raw","f":1.5,"u":7,"neg":-64,"big":1099511627776,"date":"2023-11-14T22:13:20.123Z",
         "bytes":"AQID","nul":null,"b":true}""");
    for (var e : expected.properties()) {
      assertEquals(e.getValue(), doc.get(e.getKey()), e.getKey());
    }
    List<JsonNode> values = new ArrayList<>(doc.values());
    assertTrue(values.contains(MANIFEST.get("marksScalars").get("text")), doc.toString());
  }

  @Test
  void printsTheEmptyDocumentAsAnEmptyObject() {
    assertEquals("{}\n", Cli.run("doc", "json", Cli.fixture(dir, "empty.automerge")).ok());
  }

  @Test
  void printsTheLongTextWithItsDeflatedColumn() {
    JsonNode doc = Cli.json(Cli.run("doc", "json", Cli.fixture(dir, "longtext.doc.automerge")).ok());
    JsonNode lt = MANIFEST.get("longtext");
    String body = doc.values().stream().filter(JsonNode::isString).map(JsonNode::stringValue)
        .filter(s -> s.length() == lt.get("bodyLength").intValue()).findFirst().orElseThrow();
    assertTrue(body.startsWith(lt.get("bodyPrefix").stringValue()));
  }

  @ParameterizedTest
  @CsvSource({
    "basic.doc.automerge, basic",
    "concurrent.doc.automerge, concurrent",
    "concurrent.changes.bin, concurrent",
    "marks-scalars.doc.automerge, marksScalars",
    "longtext.doc.automerge, longtext",
    "incremental.concat.automerge, incremental"
  })
  void printsTheHeadsJsReports(String file, String entry) {
    StringBuilder expected = new StringBuilder();
    for (JsonNode h : MANIFEST.get(entry).get("heads")) {
      expected.append(h.stringValue()).append('\n');
    }
    assertEquals(expected.toString(), Cli.run("doc", "heads", Cli.fixture(dir, file)).ok());
  }

  @Test
  void printsNoHeadsForTheEmptyDocument() {
    assertEquals("", Cli.run("doc", "heads", Cli.fixture(dir, "empty.automerge")).ok());
  }

  @Test
  void logsTheBasicChangeWithEveryField() {
    JsonNode c = MANIFEST.get("basic").get("decodedChange");
    String expected = "{\"hash\":\"" + c.get("hash").stringValue() + "\",\"actor\":\"" + c.get("actor").stringValue()
        + "\",\"seq\":1,\"startOp\":1,\"time\":1700000000,\"message\":\"m1\",\"deps\":[]}\n";
    assertEquals(expected, Cli.run("doc", "log", Cli.fixture(dir, "basic.doc.automerge")).ok());
  }

  @ParameterizedTest
  @CsvSource({
    "concurrent.changes.bin, concurrent",
    "marks-scalars.changes.bin, marksScalars",
    // JS getAllChanges on the saved documents gives the same order (checked with JS 3.5.0).
    "concurrent.doc.automerge, concurrent",
    "marks-scalars.doc.automerge, marksScalars"
  })
  void logsChangesInTheOrderJsGetAllChangesGives(String file, String entry) {
    String[] lines = Cli.run("doc", "log", Cli.fixture(dir, file)).ok().split("\n");
    JsonNode hashes = MANIFEST.get(entry).get("changeHashesInFileOrder");
    assertEquals(hashes.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      JsonNode line = Cli.json(lines[i]);
      assertEquals(hashes.get(i).stringValue(), line.get("hash").stringValue());
      assertEquals(List.of("hash", "actor", "seq", "startOp", "time", "message", "deps"),
          new ArrayList<>(line.propertyNames()));
      List<String> deps = line.get("deps").values().stream().map(JsonNode::stringValue).toList();
      assertEquals(deps.stream().sorted().toList(), deps);
    }
  }

  @Test
  void showsThePastAtGivenHeads() {
    Path f = Cli.fixture(dir, "basic.doc.automerge");
    String now = Cli.run("doc", "json", f).ok();
    String heads = Cli.run("doc", "heads", f).ok();
    assertEquals(now, Cli.run("doc", "json", f, "--at", heads).ok());
    assertEquals("{}\n", Cli.run("doc", "json", f, "--at", "").ok());
  }

  @Test
  void showsEveryStepOfTheConcurrentHistory() {
    Path f = Cli.fixture(dir, "concurrent.changes.bin");
    JsonNode hashes = MANIFEST.get("concurrent").get("changeHashesInFileOrder");
    String last = hashes.get(hashes.size() - 1).stringValue();
    assertEquals(MANIFEST.get("concurrent").get("json"), Cli.json(Cli.run("doc", "json", f, "--at", last).ok()));
    String two = hashes.get(1).stringValue() + "," + hashes.get(2).stringValue();
    Cli.run("doc", "json", f, "--at", two).ok();
  }

  @Test
  void rejectsHeadsTheDocumentDoesNotHave() {
    Path f = Cli.fixture(dir, "basic.doc.automerge");
    String line = Cli.run("doc", "json", f, "--at", "00".repeat(32)).failed();
    assertTrue(line.contains("00000000"), line);
    assertTrue(Cli.run("doc", "json", f, "--at", "zz").failed().contains("--at"));
  }

  @Test
  void reportsAFileThatIsNotAutomergeInOneLine() {
    Path f = Cli.write(dir.resolve("junk"), "not automerge");
    assertTrue(Cli.run("doc", "json", f).failed().contains("not a valid Automerge file"));
    assertTrue(Cli.run("doc", "heads", dir.resolve("missing")).failed().contains("no such file"));
  }
}
