package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocSyncCommandTest {
  @TempDir Path dir;

  /** Two copies of one document, then a different edit on each. */
  private Path[] divergentCopies() throws Exception {
    Path a = dir.resolve("a.automerge");
    Path in = Cli.write(dir.resolve("in.json"), "{\"items\":[\"milk\"]}");
    Cli.run("doc", "import", in, a, "--actor", "aa", "--time", "1").ok();
    Path b = Files.copy(a, dir.resolve("b.automerge"));
    Cli.run("doc", "edit", a, "--actor", "aa", "--time", "2", "--insert", "/items/-", "\"eggs\"").ok();
    Cli.run("doc", "edit", b, "--actor", "bb", "--time", "2", "--put", "/k", "1").ok();
    return new Path[] {a, b};
  }

  @Test
  void divergentFilesEndWithTheSameHeadsAndJson() throws Exception {
    Path[] f = divergentCopies();
    String out = Cli.run("doc", "sync", f[0], f[1]).ok();
    assertTrue(out.matches("rounds: \\d+\nA -> B: \\d+ messages?, \\d+ bytes?\nB -> A: \\d+ messages?, \\d+ bytes?\nheads: 2, changes: 3\n"), out);
    assertEquals(Cli.run("doc", "heads", f[0]).ok(), Cli.run("doc", "heads", f[1]).ok());
    assertEquals("{\"items\":[\"milk\",\"eggs\"],\"k\":1}\n", Cli.run("doc", "json", f[0]).ok());
    assertEquals(Cli.run("doc", "json", f[0]).ok(), Cli.run("doc", "json", f[1]).ok());
    // Synced files are saved compactly, and syncing again changes nothing.
    byte[] a = Cli.bytes(f[0]);
    Cli.run("doc", "sync", f[0], f[1]).ok();
    assertArrayEquals(a, Cli.bytes(f[0]));
  }

  @Test
  void anEmptyPeerReceivesTheWholeDocument() {
    Path full = Cli.fixture(dir, "longtext.doc.automerge");
    Path empty = Cli.fixture(dir, "empty.automerge");
    String out = Cli.run("doc", "sync", empty, full).ok();
    assertTrue(out.startsWith("rounds: "), out);
    assertEquals(Cli.run("doc", "json", full).ok(), Cli.run("doc", "json", empty).ok());
    assertEquals(Cli.run("doc", "heads", full).ok(), Cli.run("doc", "heads", empty).ok());
  }

  @Test
  void aBadFileLeavesBothFilesUntouched() {
    Path good = Cli.fixture(dir, "basic.doc.automerge");
    byte[] before = Cli.bytes(good);
    Path junk = Cli.write(dir.resolve("junk"), "junk");
    assertTrue(Cli.run("doc", "sync", good, junk).failed().contains("junk is not a valid Automerge file"));
    assertArrayEquals(before, Cli.bytes(good));
    assertEquals("junk", new String(Cli.bytes(junk)));
    assertNotEquals(0, Cli.run("doc", "sync", good).code());
  }
}
