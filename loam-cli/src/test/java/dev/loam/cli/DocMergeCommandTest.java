package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class DocMergeCommandTest {
  @TempDir Path dir;

  @Test
  void mergesConcurrentEditsOfCopies() throws Exception {
    Path a = dir.resolve("a.automerge");
    Path in = Cli.write(dir.resolve("in.json"), "{\"items\":[\"milk\"]}");
    Cli.run("doc", "import", in, a, "--actor", "aa", "--time", "1").ok();
    Path b = Files.copy(a, dir.resolve("b.automerge"));
    Cli.run("doc", "edit", a, "--actor", "aa", "--time", "2", "--insert", "/items/-", "\"eggs\"", "--put", "/k", "\"A\"", "--as", "str").ok();
    Cli.run("doc", "edit", b, "--actor", "bb", "--time", "2", "--insert", "/items/0", "\"bread\"", "--put", "/k", "\"B\"", "--as", "str").ok();
    Path out = dir.resolve("out.automerge");
    Cli.run("doc", "merge", out, a, b).ok();
    // Concurrent puts: the greater op id wins, here the same counter and actor bb > aa.
    assertEquals("{\"items\":[\"bread\",\"milk\",\"eggs\"],\"k\":\"B\"}\n", Cli.run("doc", "json", out).ok());
    assertEquals(2, Cli.run("doc", "heads", out).ok().split("\n").length);
    assertEquals(3, Cli.run("doc", "log", out).ok().split("\n").length);
  }

  @Test
  void mayWriteOverOneOfItsInputs() {
    Path a = Cli.fixture(dir, "basic.doc.automerge");
    Path b = Cli.fixture(dir, "incremental.concat.automerge");
    Cli.run("doc", "merge", a, a, b).ok();
    // The two documents have disjoint keys: the merge holds both.
    ObjectNode expected = (ObjectNode) Cli.manifest().get("basic").get("json").deepCopy();
    expected.setAll((ObjectNode) Cli.manifest().get("incremental").get("json"));
    assertEquals(expected, Cli.json(Cli.run("doc", "json", a).ok()));
    assertEquals(2, Cli.run("doc", "heads", a).ok().split("\n").length);
  }

  @Test
  void writesADocumentChunkAsAutomergeJsSavesIt() {
    // basic.doc.automerge is what JS's save() wrote; loading its changes and saving again gives it back.
    Path out = dir.resolve("out.automerge");
    Cli.run("doc", "merge", out, Cli.fixture(dir, "basic.change.bin")).ok();
    assertArrayEquals(Cli.bytes(Cli.fixture(dir, "basic.doc.automerge")), Cli.bytes(out));
  }

  @Test
  void needsAnInputAndLeavesOutAloneWhenOneIsBad() throws Exception {
    Path out = dir.resolve("out.automerge");
    assertEquals(2, Cli.run("doc", "merge", out).code());
    Path junk = Cli.write(dir.resolve("junk"), "junk");
    assertTrue(Cli.run("doc", "merge", out, Cli.fixture(dir, "basic.doc.automerge"), junk).failed().contains("junk"));
    assertFalse(Files.exists(out));
  }
}
