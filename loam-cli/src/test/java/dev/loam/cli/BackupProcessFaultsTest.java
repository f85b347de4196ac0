package dev.loam.cli;

import static dev.loam.cli.BackupFixtures.assertSameDocuments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loam backup} in its own JVM, killed as SIGKILL kills ({@link Process#destroyForcibly}: no
 * shutdown hook, no cleanup) in the middle of writing, and run out of disk space. A killed create
 * leaves nothing under the archive's name (only a temporary file that never verifies), the source
 * is untouched, and a rerun succeeds; a killed restore leaves the archive untouched and a rerun
 * restores exactly the backup. Disk full is a real process limit: the child runs under
 * {@code ulimit -f} (RLIMIT_FSIZE), so a write past the limit fails with EFBIG ("File too large")
 * as a full disk fails with ENOSPC, through the same JDK and SQLite write paths (no tmpfs needed).
 */
class BackupProcessFaultsTest {
  /** Enough documents (~6 MB) that writing the archive or the restored folder takes a while. */
  private static final int DOCS = 300;

  /** The file size limit of the disk-full runs, in KiB (bash's unit for {@code ulimit -f}). */
  private static final int LIMIT_KIB = 1536;

  @TempDir Path dir;
  private Path source;
  private Map<String, BackupFixtures.Doc> docs;

  @BeforeEach
  void makeSource() {
    source = dir.resolve("source");
    docs = BackupFixtures.create(SqliteStorageAdapter.open(source.resolve(LocalRepo.DB_FILE)), DOCS, 10_000, 42);
  }

  private Map<String, String> sourceChunks() {
    return BackupFixtures.chunks(SqliteStorageAdapter.open(source.resolve(LocalRepo.DB_FILE)));
  }

  @Test
  void aCreateKilledWhileWritingLeavesNoArchiveUnderItsNameNoValidPartialFileAndAnUntouchedSource() throws Exception {
    Map<String, String> before = sourceChunks();
    Path out = dir.resolve("backups").resolve("b.loam");
    Files.createDirectories(out.getParent());
    int code = runKilledWhen(out.getParent(), name -> true, "backup", "create", "--out", out.toString(), "--data", source.toString());
    assertNotEquals(0, code, "killed before it finished");
    assertFalse(Files.exists(out), "nothing under the archive's name");
    List<Path> left = list(out.getParent());
    for (Path p : left) {
      assertTrue(p.getFileName().toString().startsWith(".b.loam.") && p.getFileName().toString().endsWith(".partial"), p.toString());
      Cli.Result verify = Cli.run("backup", "verify", p);
      assertEquals(Main.FAILED, verify.code(), "a partial file never verifies: " + verify.out());
    }
    assertEquals(before, sourceChunks(), "the source is untouched");

    Cli.run("backup", "create", "--out", out, "--data", source).ok();
    Cli.run("backup", "verify", out).ok();
    assertEquals(BackupFixtures.lsLines(docs), Cli.run("backup", "ls", out).ok().lines().toList());
  }

  @Test
  void aRestoreKilledWhileWritingLeavesTheArchiveUntouchedAndARerunRestoresExactlyTheBackup() throws Exception {
    Path archive = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", archive, "--data", source).ok();
    byte[] bytes = Files.readAllBytes(archive);
    Path target = dir.resolve("target");
    Files.createDirectories(target);
    // killed at the first document folder the restore creates in the (fs) target
    int code = runKilledWhen(target, name -> !name.startsWith("."), "backup", "restore", archive.toString(),
        "--data", target.toString(), "--storage", "fs");
    assertNotEquals(0, code, "killed before it finished");
    assertArrayEquals(bytes, Files.readAllBytes(archive), "the archive is untouched");

    String out = Cli.run("backup", "restore", archive, "--data", target, "--storage", "fs").ok();
    assertTrue(out.startsWith("restored " + DOCS + " documents into fs storage in " + target), out);
    assertSameDocuments(docs, BackupFixtures.read(FileSystemStorageAdapter.open(target)));
    Cli.run("backup", "restore", archive, "--data", target, "--storage", "fs").ok();
    assertSameDocuments(docs, BackupFixtures.read(FileSystemStorageAdapter.open(target)));
  }

  @Test
  void aCreateThatRunsOutOfDiskSpaceFailsClearlyAndLeavesNoFile() throws Exception {
    Path out = dir.resolve("backups").resolve("b.loam");
    Files.createDirectories(out.getParent());
    String err = runOutOfSpace("backup", "create", "--out", out.toString(), "--data", source.toString());
    String last = err.lines().reduce((a, b) -> b).orElse(""); // after the JVM's own warnings, if any
    assertTrue(last.startsWith("loam: could not write the backup " + out) && last.contains("File too large") // EFBIG
        && last.endsWith("(nothing was left under that name)"), err);
    assertEquals(List.of(), list(out.getParent()), "no archive and no temporary file");

    Cli.run("backup", "create", "--out", out, "--data", source).ok();
    Cli.run("backup", "verify", out).ok();
    assertTrue(Files.size(out) > 2L * LIMIT_KIB * 1024, "the archive is well past the limit: " + Files.size(out));
  }

  /**
   * A restore into SQLite is one transaction: when the disk fills up part-way, the target is left
   * exactly as it was (the documents it held, nothing of the backup), and a rerun once there is
   * space completes the restore.
   */
  @Test
  void aRestoreThatRunsOutOfDiskSpaceLeavesTheTargetAsItWasAndARerunCompletesIt() throws Exception {
    Path archive = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", archive, "--data", source).ok();
    Path target = dir.resolve("target");
    Map<String, BackupFixtures.Doc> before = BackupFixtures.create(SqliteStorageAdapter.open(target.resolve(LocalRepo.DB_FILE)),
        2, 100, 43);
    String err = runOutOfSpace("backup", "restore", archive.toString(), "--data", target.toString());
    String last = err.lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("loam: "), err);
    assertEquals(before, BackupFixtures.read(SqliteStorageAdapter.open(target.resolve(LocalRepo.DB_FILE))),
        "the target is as it was: its own documents, nothing of the backup");

    Cli.run("backup", "restore", archive, "--data", target).ok();
    Map<String, BackupFixtures.Doc> expected = new java.util.TreeMap<>(before);
    expected.putAll(docs);
    assertSameDocuments(expected, BackupFixtures.read(SqliteStorageAdapter.open(target.resolve(LocalRepo.DB_FILE))));
  }

  /**
   * Runs {@code loam args} in its own JVM under {@code ulimit -f} {@value #LIMIT_KIB} KiB (room for
   * SQLite's native library, 1.1 MB unpacked to a temporary file, not for the data); asserts it
   * fails with nothing on stdout and returns its stderr.
   */
  private String runOutOfSpace(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + LIMIT_KIB + " && exec \"$@\"", "loam"));
    cmd.addAll(ServeProcess.loamCommand());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    assertEquals(Main.FAILED, p.exitValue(), err);
    assertEquals("", Files.readString(dir.resolve("out.txt")));
    return err;
  }

  /**
   * Runs {@code loam args} in its own JVM and kills it as SIGKILL does once a file whose name
   * {@code trigger} accepts appears in {@code watched}; returns its exit status.
   */
  private int runKilledWhen(Path watched, Predicate<String> trigger, String... args) throws Exception {
    List<String> cmd = ServeProcess.loamCommand();
    cmd.addAll(List.of(args));
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      watched.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("killed.out").toFile())
          .redirectError(dir.resolve("killed.err").toFile()).start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean seen = false;
        while (!seen) {
          WatchKey key = watch.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (key == null) {
            throw new AssertionError("no file appeared in " + watched + " within 120 s; stderr: "
                + Files.readString(dir.resolve("killed.err")));
          }
          for (WatchEvent<?> e : key.pollEvents()) {
            seen |= e.context() instanceof Path name && trigger.test(name.toString());
          }
          key.reset();
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process died");
        return p.exitValue();
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
