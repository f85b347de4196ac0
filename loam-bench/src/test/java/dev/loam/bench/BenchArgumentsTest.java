package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad arguments to the bench commands get a usage error, and a server that is not there a one-line answer, at once. */
class BenchArgumentsTest {
  private record Run(int status, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
    return new Run(cl.execute(args), err.toString());
  }

  @Test
  void negativeSizesAreUsageErrors() {
    Run search = run("search", "--docs", "-5");
    assertEquals(2, search.status(), search.err());
    assertTrue(search.err().contains("--docs and --queries must be positive, not -5 and 200"), search.err());
    Run engine = run("search", "--docs", "10", "--engine", "lucene");
    assertEquals(2, engine.status(), engine.err());
    assertTrue(engine.err().contains("--engine takes loam, fts5 or both, not lucene"), engine.err());
    Run backup = run("backup", "--docs", "-3");
    assertEquals(2, backup.status(), backup.err());
    assertTrue(backup.err().contains("--docs and --doc-bytes must be positive"), backup.err());
    Run changed = run("backup", "--changed", "150");
    assertEquals(2, changed.status(), changed.err());
  }

  @Test
  void aTraceModeOrRunCountThatMeansNothingIsAUsageError() {
    Run mode = run("trace", "any.json.gz", "--mode", "bogus");
    assertEquals(2, mode.status(), mode.err());
    assertTrue(mode.err().contains("--mode bogus: per-txn or single"), mode.err());
    Run runs = run("trace", "any.json.gz", "--runs", "0");
    assertEquals(2, runs.status(), runs.err());
    assertTrue(runs.err().contains("--runs 0: at least 1"), runs.err());
  }

  @Test
  void aServerThatIsNotThereIsSaidSoAtOnce() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    Run r = run("server", "--url", "ws://127.0.0.1:" + port, "--clients", "2", "--docs", "1", "--seconds", "1");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("nothing listens at ws://127.0.0.1:" + port + " (is the server running?)"), r.err());
  }

  @Test
  void aRepoFolderThatCannotBeMadeIsSaidSoInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");
    Run r = run("search", "--docs", "3", "--write-repo", file.resolve("notes").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("loam bench search: cannot create the repo folder ") && r.err().strip().lines().count() == 1, r.err());
  }
}
