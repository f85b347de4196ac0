package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.id.DocumentId;
import dev.loam.server.DataFolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoCommandsTest {
  @TempDir Path dir;

  @Test
  void newPrintsAUrlThatLsListsCatPrintsAndRmRemoves() {
    Path data = dir.resolve("data");
    String url = Cli.run("repo", "new", "--data", data).ok().strip();
    assertTrue(url.startsWith("automerge:"), url);
    assertEquals(url + "\n", Cli.run("repo", "ls", "--data", data).ok());
    assertEquals("{}\n", Cli.run("repo", "cat", url, "--data", data).ok());
    Cli.run("repo", "rm", url, "--data", data).ok();
    assertEquals("", Cli.run("repo", "ls", "--data", data).ok());
    assertTrue(Cli.run("repo", "cat", url, "--data", data).failed().contains("has no document " + url));
  }

  @Test
  void newFromAFileCatsAsDocJsonPrintsTheFile() throws Exception {
    Path file = dir.resolve("x.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in.json"), "{\"title\":\"hello\",\"n\":[1,2]}"), file).ok();
    String url = Cli.run("repo", "new", "--data", dir.resolve("data"), "--from", file).ok().strip();
    assertEquals(Cli.run("doc", "json", file).ok(), Cli.run("repo", "cat", url, "--data", dir.resolve("data")).ok());
  }

  @Test
  void editAppliesDocEditOperationsAsOneChange() {
    Path data = dir.resolve("data");
    String url = Cli.run("repo", "new", "--data", data).ok().strip();
    Cli.run("repo", "edit", url, "--data", data, "--put", "/title", "\"hello\"", "--put", "/n", "1", "--message", "hi").ok();
    assertEquals("{\"n\":1,\"title\":\"hello\"}\n", Cli.run("repo", "cat", url, "--data", data).ok());
    assertTrue(Cli.run("repo", "edit", url, "--data", data, "--bogus").failed().contains("unknown operation: --bogus"));
  }

  @Test
  void aFolderHeldByAServerIsRefusedWithAClearMessage() {
    Path data = dir.resolve("data");
    Cli.run("repo", "new", "--data", data).ok();
    try (DataFolderLock held = DataFolderLock.acquire(data, "loam serve on port 3030")) {
      String err = Cli.run("repo", "ls", "--data", data).failed();
      assertTrue(err.contains("is in use by loam serve on port 3030"), err);
    }
  }

  @Test
  void readingAFolderThatDoesNotExistFailsAndCreatesNothing() throws Exception {
    Path missing = dir.resolve("nonexist");
    String url = DocumentId.random().toUrl().toString();
    for (String[] read : new String[][] {{"repo", "ls"}, {"repo", "cat", url}, {"repo", "rm", url}}) {
      List<Object> args = new ArrayList<>(List.of((Object[]) read));
      args.addAll(List.of("--data", missing));
      Cli.Result r = Cli.run(args.toArray());
      assertEquals(1, r.code(), r.err());
      String err = r.failed();
      assertTrue(err.contains("no repo folder " + missing.toAbsolutePath()) && err.contains("does not exist"), err);
      assertFalse(Files.exists(missing), String.join(" ", read) + " created " + missing);
    }
  }

  @Test
  void readingAFolderWithoutARepoFailsAndLeavesItEmpty() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Cli.Result r = Cli.run("repo", "ls", "--data", empty);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.failed().contains("holds no repo (no loam.db)"), r.err());
    try (var entries = Files.list(empty)) {
      assertEquals(List.of(), entries.toList());
    }
  }

  @Test
  void commandsThatWriteCreateTheFolderForTheOwnerOnly() throws Exception {
    Path fresh = dir.resolve("fresh");
    String url = Cli.run("repo", "new", "--data", fresh).ok().strip();
    assertEquals(url + "\n", Cli.run("repo", "ls", "--data", fresh).ok());
    org.junit.jupiter.api.Assumptions.assumeTrue(fresh.getFileSystem().supportedFileAttributeViews().contains("posix"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    try (var entries = Files.list(fresh)) {
      for (Path p : entries.toList()) { // loam.db (and its -wal, -shm while open), .loam.lock
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
      }
    }
  }

  @Test
  void catOfSomethingThatIsNotAUrlIsAClearError() {
    String err = Cli.run("repo", "cat", "nope", "--data", dir.resolve("data")).failed();
    assertTrue(err.contains("not an automerge: URL"), err);
  }
}
