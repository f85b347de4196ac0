package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DocExamineCommandTest {
  @TempDir Path dir;

  @Test
  void showsADocumentChunksActorsHeadsColumnsAndRows() {
    Path f = Cli.fixture(dir, "basic.doc.automerge");
    String out = Cli.run("doc", "examine", f).ok();
    String head = Cli.manifest().get("basic").get("heads").get(0).asString();
    assertTrue(out.startsWith(f + ": " + Cli.bytes(f).length + " bytes, 1 chunk\n"), out);
    assertTrue(out.contains("\nchunk 0 at offset 0: document, " + Cli.bytes(f).length + " bytes, checksum "), out);
    assertTrue(out.contains("  actors: 1\n    index actor\n        0 aabbccdd00112233aabbccdd00112233\n"), out);
    assertTrue(out.contains("  heads: 1\n    " + head + "\n"), out);
    assertTrue(out.contains("  change columns: "), out);
    assertTrue(out.contains("  op columns: "), out);
    // One change, by actor 0, seq 1, with the message JS wrote.
    assertTrue(out.lines().anyMatch(l -> l.matches("\\s+0 dc8cb228938e\\s+0\\s+1\\s+\\d+\\s+1700000000\\s+\"m1\"\\s*")), out);
    // The first op makes the text "title" at the root.
    assertTrue(out.lines().anyMatch(l -> l.matches("\\s+1@0\\s+_root\\s+\"title\"\\s+false\\s+makeText\\s+null.*")), out);
    assertTrue(out.contains(" id ") && out.contains(" succ "), out);
  }

  @Test
  void showsChangeChunkMetadataAndPreds() {
    Path f = Cli.fixture(dir, "incremental.concat.automerge");
    String out = Cli.run("doc", "examine", f).ok();
    assertTrue(out.contains(" bytes, 2 chunks\n"), out);
    assertTrue(out.contains("\nchunk 1 at offset "), out);
    assertTrue(out.matches("(?s).*chunk 1 at offset \\d+: change, .*\n  actor [0-9a-f]+, seq \\d+, startOp \\d+, time \\d+, message .*"), out);
    assertTrue(out.contains("  deps: 1\n"), out);
    assertTrue(out.contains("  other actors: "), out);
    assertTrue(out.contains(" pred "), out);
  }

  @Test
  void marksDeflatedColumns() {
    String out = Cli.run("doc", "examine", Cli.fixture(dir, "longtext.doc.automerge")).ok();
    assertTrue(out.lines().anyMatch(l -> l.matches("\\s+\\d+\\s+\\d+\\s+\\w+\\s+yes\\s+\\d+\\s+\\w+")), out);
  }

  @Test
  void boundsEachTableAndSaysHowManyRowsItLeftOut() {
    Path f = Cli.fixture(dir, "longtext.doc.automerge");
    JsonNode all = Cli.json(Cli.run("doc", "examine", f, "--json", "--limit", "0").ok());
    int ops = all.get("chunks").get(0).get("ops").get("total").asInt();
    assertEquals(ops, all.get("chunks").get(0).get("ops").get("rows").size());
    assertTrue(ops > 3);
    String out = Cli.run("doc", "examine", f, "--limit", "3").ok();
    assertTrue(out.contains("  ops: " + ops + "\n"), out);
    assertTrue(out.contains("    … " + (ops - 3) + " more\n"), out);
    JsonNode three = Cli.json(Cli.run("doc", "examine", f, "--json", "--limit", "3").ok());
    assertEquals(3, three.get("chunks").get(0).get("ops").get("rows").size());
    assertEquals(ops, three.get("chunks").get(0).get("ops").get("total").asInt());
  }

  @Test
  void printsMachineReadableJson() {
    Path f = Cli.fixture(dir, "concurrent.doc.automerge");
    JsonNode j = Cli.json(Cli.run("doc", "examine", f, "--json").ok());
    assertEquals(Cli.bytes(f).length, j.get("length").asInt());
    JsonNode c = j.get("chunks").get(0);
    assertEquals("document", c.get("type").asString());
    assertEquals(0, c.get("offset").asInt());
    assertEquals(8, c.get("checksum").asString().length());
    assertEquals(64, c.get("hash").asString().length());
    JsonNode heads = Cli.manifest().get("concurrent").get("heads");
    assertEquals(heads.size(), c.get("heads").get("total").asInt());
    for (int i = 0; i < heads.size(); i++) {
      assertEquals(heads.get(i).asString(), c.get("heads").get("rows").get(i).get("hash").asString());
    }
    JsonNode op = c.get("ops").get("rows").get(0);
    assertEquals("_root", op.get("obj").asString());
    assertTrue(op.get("id").asString().matches("\\d+@[0-9a-f]+"), op.toString());
    assertTrue(op.get("succ").isArray());
    JsonNode col = c.get("opColumns").get("rows").get(0);
    for (String k : new String[] {"spec", "id", "type", "deflated", "bytes", "name"}) {
      assertTrue(col.has(k), col.toString());
    }
    JsonNode change = Cli.json(Cli.run("doc", "examine", Cli.fixture(dir, "basic.change.bin"), "--json").ok())
        .get("chunks").get(0);
    assertEquals("change", change.get("type").asString());
    assertEquals("aabbccdd00112233aabbccdd00112233", change.get("actor").asString());
    assertEquals(1, change.get("seq").asInt());
    assertEquals("m1", change.get("message").asString());
    assertEquals(Cli.manifest().get("basic").get("changeHash").asString(), change.get("hash").asString());
    assertEquals("makeText", change.get("ops").get("rows").get(0).get("action").asString());
    assertEquals("title", change.get("ops").get("rows").get(0).get("key").asString());
    assertEquals("_head", change.get("ops").get("rows").get(1).get("elemId").asString());
    assertEquals("{\"type\":\"str\",\"value\":\"h\"}", change.get("ops").get("rows").get(1).get("value").toString());
  }

  @Test
  void theEmptyDocumentHasNoRows() {
    String out = Cli.run("doc", "examine", Cli.fixture(dir, "empty.automerge")).ok();
    assertTrue(out.contains("  changes: 0\n  ops: 0\n"), out);
  }

  @Test
  void rejectsAnInvalidFileWithOneLine() {
    Path junk = Cli.write(dir.resolve("junk"), "junk");
    assertTrue(Cli.run("doc", "examine", junk).failed().contains("junk is not a valid Automerge file"));
    byte[] bad = Cli.bytes(Cli.fixture(dir, "basic.doc.automerge"));
    bad[bad.length - 3] ^= 0x55;
    Path corrupt = dir.resolve("corrupt");
    try {
      java.nio.file.Files.write(corrupt, bad);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertTrue(Cli.run("doc", "examine", corrupt).failed().contains("not a valid Automerge file"));
    assertEquals(2, Cli.run("doc", "examine", junk, "--limit", "x").code());
    assertFalse(Cli.run("doc", "examine", junk, "--limit", "-1").failed().isEmpty());
  }
}
