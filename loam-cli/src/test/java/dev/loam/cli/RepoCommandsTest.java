package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.server.DataFolderLock;
import java.nio.file.Path;
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
    try (DataFolderLock held = DataFolderLock.acquire(data, "loam serve on port 3030")) {
      String err = Cli.run("repo", "ls", "--data", data).failed();
      assertTrue(err.contains("is in use by loam serve on port 3030"), err);
    }
  }

  @Test
  void catOfSomethingThatIsNotAUrlIsAClearError() {
    String err = Cli.run("repo", "cat", "nope", "--data", dir.resolve("data")).failed();
    assertTrue(err.contains("not an automerge: URL"), err);
  }
}
