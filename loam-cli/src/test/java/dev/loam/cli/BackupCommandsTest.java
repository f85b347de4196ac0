package dev.loam.cli;

import static dev.loam.cli.BackupFixtures.assertSameDocuments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code loam backup create|verify|ls|restore}: output and exit status of every form, run in-process. */
class BackupCommandsTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private SqliteStorageAdapter sqlite(Path folder) {
    return SqliteStorageAdapter.open(folder.resolve(LocalRepo.DB_FILE));
  }

  @Test
  void aFullBackupVerifiesListsEveryDocumentAndRestoresIntoAnEmptyFolderWithTheSameHeads() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 5, 40, 1);
    Path file = dir.resolve("full.loam");

    String created = Cli.run("backup", "create", "--out", file, "--data", data()).ok();
    assertTrue(created.startsWith("backed up 5 documents of sqlite storage in " + data() + ": "), created);
    assertTrue(created.contains("wrote " + file + ", " + size(file) + " bytes, full backup "), created);
    assertEquals(1, created.lines().count(), created);

    String verified = Cli.run("backup", "verify", file).ok();
    assertTrue(verified.startsWith(file + ": full backup "), verified);
    assertTrue(verified.endsWith("ok: every check passed (1 archive, 5 documents)\n"), verified);

    assertEquals(BackupFixtures.lsLines(source), Cli.run("backup", "ls", file).ok().lines().toList());

    Path target = dir.resolve("restored");
    String restored = Cli.run("backup", "restore", file, "--data", target).ok();
    assertEquals("restored 5 documents into sqlite storage in " + target + ": 5 written, 0 already up to date; merged:"
        + " nothing the storage held was deleted or overwritten, newer changes included\n", restored);
    assertSameDocuments(source, BackupFixtures.read(sqlite(target)));
  }

  @Test
  void anIncrementalChainRestoresToTheSameStateAsAFullBackupAndARemovedDocumentStaysRemoved() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 4, 20, 2);
    Path full = dir.resolve("1.loam");
    Cli.run("backup", "create", "--out", full, "--data", data()).ok();
    List<String> urls = new ArrayList<>(source.keySet());
    source.put(urls.get(0), BackupFixtures.append(sqlite(data()), urls.get(0), "changed after the full backup"));
    source.putAll(BackupFixtures.create(sqlite(data()), 1, 20, 3));
    Cli.run("repo", "rm", urls.get(1), "--data", data()).ok();
    source.remove(urls.get(1));

    Path inc = dir.resolve("2.loam");
    String out = Cli.run("backup", "create", "--out", inc, "--since", full, "--data", data()).ok();
    assertTrue(out.startsWith("backed up 4 documents of sqlite storage in " + data()), out);
    assertTrue(out.contains("incremental backup ") && out.contains("(1 new, 1 changed, 2 unchanged, 1 removed)"), out);
    assertTrue(Cli.run("backup", "ls", inc).ok().contains(urls.get(1) + " removed\n"));
    Cli.run("backup", "verify", full, inc).ok();

    String alone = Cli.run("backup", "create", "--out", dir.resolve("x.loam"), "--since", inc, "--data", data()).failed();
    assertTrue(alone.startsWith("loam: --since: corrupt backup: ") && alone.contains("the full backup first"), alone);

    Path chainTarget = dir.resolve("from-chain");
    Cli.run("backup", "restore", full, inc, "--data", chainTarget).ok();
    Path fullAgain = dir.resolve("3.loam");
    Cli.run("backup", "create", "--out", fullAgain, "--data", data()).ok();
    Path fullTarget = dir.resolve("from-full");
    Cli.run("backup", "restore", fullAgain, "--data", fullTarget).ok();
    assertSameDocuments(source, BackupFixtures.read(sqlite(chainTarget)));
    assertSameDocuments(source, BackupFixtures.read(sqlite(fullTarget)));
  }

  @Test
  void aDamagedBackupFailsVerificationByNameAndIsNeverRestored() throws Exception {
    BackupFixtures.create(sqlite(data()), 3, 20, 4);
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data()).ok();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);

    Cli.Result verify = Cli.run("backup", "verify", file);
    assertEquals(Main.FAILED, verify.code());
    assertTrue(verify.out().lines().anyMatch(l -> l.startsWith("FAULT " + file + ": ") && l.contains("CHECKSUM")), verify.out());
    assertTrue(verify.err().startsWith("loam: ") && verify.err().contains("damaged"), verify.err());

    Path target = dir.resolve("restored");
    String err = Cli.run("backup", "restore", file, "--data", target).failed();
    assertTrue(err.contains("corrupt backup") && err.contains("nothing was restored"), err);
    assertFalse(Files.exists(target.resolve(LocalRepo.DB_FILE)) && !BackupFixtures.chunks(sqlite(target)).isEmpty(),
        "nothing restored");
  }

  @Test
  void restoringTwiceChangesNothingTheSecondTime() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 3, 20, 5);
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data()).ok();
    Path target = dir.resolve("restored");
    Cli.run("backup", "restore", file, "--data", target).ok();
    Map<String, String> once = BackupFixtures.chunks(sqlite(target));
    String again = Cli.run("backup", "restore", file, "--data", target).ok();
    assertTrue(again.contains(": 0 written, 3 already up to date;"), again);
    assertEquals(once, BackupFixtures.chunks(sqlite(target)));
    assertSameDocuments(source, BackupFixtures.read(sqlite(target)));
  }

  @Test
  void aRestoreIntoAFolderWithNewerDataMergesAndKeepsTheNewerChanges() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 2, 20, 6);
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data()).ok();
    String url = source.keySet().iterator().next();
    BackupFixtures.Doc newer = BackupFixtures.append(sqlite(data()), url, "newer than the backup");
    String out = Cli.run("backup", "restore", file, "--data", data()).ok();
    assertTrue(out.contains("0 written, 2 already up to date; merged: nothing the storage held was deleted"), out);
    assertEquals(newer, BackupFixtures.read(sqlite(data())).get(url));
  }

  @Test
  void replaceMakesTheFolderHoldExactlyTheBackup() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 2, 20, 7);
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data()).ok();
    String url = source.keySet().iterator().next();
    BackupFixtures.append(sqlite(data()), url, "dropped by --replace");
    BackupFixtures.create(sqlite(data()), 1, 20, 8);
    String out = Cli.run("backup", "restore", file, "--data", data(), "--replace").ok();
    assertTrue(out.contains(", 1 removed; replaced: the storage holds exactly the backup"), out);
    assertSameDocuments(source, BackupFixtures.read(sqlite(data())));
  }

  @Test
  void aFolderAServerHoldsIsRefusedForRestorePointingToServerButBackedUpOnline() {
    BackupFixtures.create(sqlite(data()), 2, 20, 9);
    Path file = dir.resolve("b.loam");
    try (DataFolderLock held = DataFolderLock.acquire(data(), "loam serve on port 3030")) {
      Cli.run("backup", "create", "--out", file, "--data", data()).ok();
      for (String[] extra : new String[][] {{}, {"--replace"}}) {
        List<String> args = new ArrayList<>(List.of("backup", "restore", file.toString(), "--data", data().toString()));
        args.addAll(List.of(extra));
        String err = Cli.run(args.toArray(String[]::new)).failed();
        assertTrue(err.contains("is in use by loam serve on port 3030") && err.contains("--server ws://HOST:PORT")
            && err.contains("--replace needs storage no server holds"), err);
      }
    }
  }

  @Test
  void aFileSystemFolderIsBackedUpAndRestoredIntoSqlite() {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(FileSystemStorageAdapter.open(data()), 3, 20, 10);
    Path file = dir.resolve("b.loam");
    String out = Cli.run("backup", "create", "--out", file, "--data", data(), "--storage", "fs").ok();
    assertTrue(out.startsWith("backed up 3 documents of fs storage in " + data()), out);
    Path target = dir.resolve("restored");
    Cli.run("backup", "restore", file, "--data", target).ok();
    assertSameDocuments(source, BackupFixtures.read(sqlite(target)));
  }

  @Test
  void anEncryptedBackupNeedsItsPassphraseFromAFileOrTheEnvironment() throws Exception {
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(sqlite(data()), 2, 20, 11);
    Path pass = Cli.write(dir.resolve("pass"), "correct horse\n");
    Path wrong = Cli.write(dir.resolve("wrong"), "battery staple\n");
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data(), "--passphrase-file", pass).ok();

    String missing = Cli.run("backup", "ls", file).failed();
    assertTrue(missing.contains("a passphrase is needed") && missing.contains("--passphrase-file PATH")
        && missing.contains(BackupPassphrase.ENV), missing);
    assertTrue(Cli.run("backup", "ls", file, "--passphrase-file", wrong).failed().contains("wrong passphrase"));
    Cli.Result verify = Cli.run("backup", "verify", file);
    assertEquals(Main.FAILED, verify.code());
    assertTrue(verify.out().contains("PASSPHRASE"), verify.out());
    assertTrue(verify.err().contains("--passphrase-file PATH"), verify.err());

    assertEquals(BackupFixtures.lsLines(source), Cli.run("backup", "ls", file, "--passphrase-file", pass).ok().lines().toList());
    assertEquals(BackupFixtures.lsLines(source), runWithEnv(Map.of(BackupPassphrase.ENV, "correct horse"), "ls", file.toString())
        .lines().toList());
    Path target = dir.resolve("restored");
    Cli.run("backup", "restore", file, "--data", target, "--passphrase-file", pass).ok();
    assertSameDocuments(source, BackupFixtures.read(sqlite(target)));
  }

  @Test
  void anExistingOutputFileIsNeverOverwritten() throws Exception {
    BackupFixtures.create(sqlite(data()), 1, 20, 12);
    Path file = Cli.write(dir.resolve("b.loam"), "precious");
    String err = Cli.run("backup", "create", "--out", file, "--data", data()).failed();
    assertTrue(err.contains(file + " exists"), err);
    assertArrayEquals("precious".getBytes(), Files.readAllBytes(file));
  }

  @Test
  void missingInputsAreClearErrors() {
    assertTrue(Cli.run("backup", "create", "--out", dir.resolve("b.loam"), "--data", dir.resolve("none")).failed()
        .contains("no repo to back up in"));
    assertTrue(Cli.run("backup", "verify", dir.resolve("none.loam")).failed().contains("no backup file"));
    assertTrue(Cli.run("backup", "ls", dir.resolve("none.loam")).failed().contains("no backup file"));
    assertTrue(Cli.run("backup", "restore", dir.resolve("none.loam"), "--data", data()).failed().contains("no backup file"));
  }

  @Test
  void wrongCallsAreUsageErrors() {
    Path file = dir.resolve("b.loam");
    assertUsage(Cli.run("backup"), "missing command");
    assertUsage(Cli.run("backup", "create"), "--out");
    assertUsage(Cli.run("backup", "verify"), "FILE");
    assertUsage(Cli.run("backup", "ls"), "FILE");
    assertUsage(Cli.run("backup", "restore", file, "--server", "ws://127.0.0.1:1", "--replace"), "--replace cannot go through a server");
    assertUsage(Cli.run("backup", "restore", file, "--server", "ws://127.0.0.1:1", "--data", data()), "--server restores through");
    assertUsage(Cli.run("backup", "restore", file, "--as-of", "yesterday"), "not an ISO-8601 time with a zone: yesterday");
    assertUsage(Cli.run("backup", "restore", file, "--as-of", "2026-12-01T12:00:00"), "e.g. 2026-12-01T12:00:00Z");
    assertUsage(Cli.run("backup", "create", "--out", file, "--storage", "postgres", "--postgres-url", ""), "--postgres-url");
  }

  @Test
  void theHelpSaysARestoreMergesAndThatChangeTimesComeFromAuthorsClocks() {
    String help = Cli.run("backup", "restore", "--help").ok().replaceAll("\\s+", " ");
    assertTrue(help.contains("it never deletes or overwrites newer data"), help);
    assertTrue(help.contains("change times come from the clocks of the devices that made the changes"), help);
    assertTrue(help.contains("refused for storage a server holds"), help);
  }

  private static void assertUsage(Cli.Result r, String says) {
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().contains(says), r.err());
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs {@code loam backup args...} with {@code env} as the environment its passphrase option reads. */
  private static String runWithEnv(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    Object command = cl.getSubcommands().get("backup").getSubcommands().get(args[0]).getCommand();
    ((BackupLsCommand) command).passphrase.env = env::get;
    List<String> all = new ArrayList<>(List.of("backup"));
    all.addAll(List.of(args));
    int code = cl.execute(all.toArray(String[]::new));
    assertEquals("", err.toString());
    assertEquals(0, code);
    return out.toString();
  }
}
