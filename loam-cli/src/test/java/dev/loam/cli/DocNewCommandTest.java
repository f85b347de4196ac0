package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocNewCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheEmptyDocumentByteForByte() {
    Path out = dir.resolve("a.automerge");
    assertEquals("", Cli.run("doc", "new", out).ok());
    assertEquals("856f4a83b81a9544000400000000", HexFormat.of().formatHex(Cli.bytes(out)));
  }

  @Test
  void acceptsAnActorInEitherCaseAndATime() {
    Path out = dir.resolve("a.automerge");
    Cli.run("doc", "new", out, "--actor", "AABBcc", "--time", "0").ok();
    assertArrayEquals(HexFormat.of().parseHex("856f4a83b81a9544000400000000"), Cli.bytes(out));
  }

  @Test
  void rejectsABadActorOrTimeAndWritesNothing() {
    Path out = dir.resolve("a.automerge");
    assertTrue(Cli.run("doc", "new", out, "--actor", "xyz").failed().contains("--actor"));
    assertTrue(Cli.run("doc", "new", out, "--time", "-1").failed().contains("--time"));
    assertTrue(Cli.run("doc", "new", out, "--time", "1.5").failed().contains("--time"));
    assertFalse(Files.exists(out));
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFileBehind() throws Exception {
    Path out = Cli.write(dir.resolve("a.automerge"), "old");
    Cli.run("doc", "new", out).ok();
    assertEquals(14, Files.size(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void keepsThePermissionsOfAReplacedFile() throws Exception {
    Path out = Cli.write(dir.resolve("a.automerge"), "old");
    var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
    Files.setPosixFilePermissions(out, perms);
    Cli.run("doc", "new", out).ok();
    assertEquals(perms, Files.getPosixFilePermissions(out));
  }

  @Test
  void reportsAMissingFolderInOneLine() {
    String line = Cli.run("doc", "new", dir.resolve("no/such/dir/a.automerge")).failed();
    assertTrue(line.startsWith("loam: cannot write"), line);
  }

  @Test
  void reportsAMissingArgumentAsAUsageError() {
    Cli.Result r = Cli.run("doc", "new");
    assertEquals(2, r.code());
    r.failed();
  }
}
