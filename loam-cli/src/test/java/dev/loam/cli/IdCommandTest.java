package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IdCommandTest {
  /** "loam1", then base58 (no 0, O, I, l) of 68 bytes: 92 or 93 characters. */
  private static final Pattern MEMBER_ID = Pattern.compile("loam1[1-9A-HJ-NP-Za-km-z]{90,94}");

  @TempDir Path dir;

  /** Runs {@code loam id SUBCOMMAND args...} with {@code env} as the environment of its passphrase lookup. */
  private static Cli.Result runWithEnv(Map<String, String> env, String subcommand, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    Object command = cl.getSubcommands().get("id").getSubcommands().get(subcommand).getCommand();
    Passphrase passphrase = command instanceof IdNewCommand n ? n.passphrase : ((IdShowCommand) command).passphrase;
    passphrase.env = env::get;
    String[] all = new String[args.length + 2];
    all[0] = "id";
    all[1] = subcommand;
    for (int i = 0; i < args.length; i++) {
      all[i + 2] = args[i].toString();
    }
    int code = cl.execute(all);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  private static String memberId(Cli.Result r) {
    String out = r.ok();
    assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one line: " + out);
    String id = out.strip();
    assertTrue(MEMBER_ID.matcher(id).matches(), id);
    return id;
  }

  @Test
  void newPrintsAMemberIdThatShowPrintsAgain() {
    Path file = dir.resolve("me.id");
    String id = memberId(runWithEnv(Map.of(), "new", file));
    assertEquals(id, memberId(runWithEnv(Map.of(), "show", file)));
    assertFalse(id.equals(memberId(runWithEnv(Map.of(), "new", dir.resolve("other.id")))), "a new identity each time");
  }

  @Test
  void theFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("me.id");
    memberId(runWithEnv(Map.of(), "new", file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void newRefusesAnExistingFileAndLeavesItUnchanged() throws Exception {
    Path file = dir.resolve("me.id");
    String id = memberId(runWithEnv(Map.of(), "new", file));
    byte[] before = Files.readAllBytes(file);
    Cli.Result again = runWithEnv(Map.of(), "new", file);
    String err = again.failed();
    assertEquals(1, again.code());
    assertTrue(err.contains("already exists") && err.contains("never overwritten"), err);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "file unchanged");
    assertEquals(id, memberId(runWithEnv(Map.of(), "show", file)));
  }

  @Test
  void aPassphraseFileSealsAndOpensTheFile() throws Exception {
    Path file = dir.resolve("me.id");
    Path pass = Cli.write(dir.resolve("pass"), "correct horse\n");
    String id = memberId(runWithEnv(Map.of(), "new", file, "--passphrase-file", pass));
    assertEquals(118, Files.size(file), "sealed");
    assertEquals(id, memberId(runWithEnv(Map.of(), "show", file, "--passphrase-file", pass)));
    // the same passphrase without its newline, from the environment
    assertEquals(id, memberId(runWithEnv(Map.of(Passphrase.ENV, "correct horse"), "show", file)));
  }

  @Test
  void theEnvironmentVariableSealsAndOpensTheFile() throws Exception {
    Path file = dir.resolve("me.id");
    Map<String, String> env = Map.of(Passphrase.ENV, "s3cret");
    String id = memberId(runWithEnv(env, "new", file));
    assertEquals(118, Files.size(file), "sealed");
    assertEquals(id, memberId(runWithEnv(env, "show", file)));
    assertEquals(id, memberId(runWithEnv(Map.of(), "show", file, "--passphrase-file", Cli.write(dir.resolve("p"), "s3cret"))));
  }

  @Test
  void aSealedFileWithoutAPassphraseFailsSayingOneIsNeeded() {
    Path file = dir.resolve("me.id");
    memberId(runWithEnv(Map.of(Passphrase.ENV, "s3cret"), "new", file));
    Cli.Result r = runWithEnv(Map.of(), "show", file);
    String err = r.failed();
    assertEquals(1, r.code());
    assertTrue(err.contains("sealed with a passphrase") && err.contains("--passphrase-file") && err.contains(Passphrase.ENV), err);
  }

  @Test
  void aWrongPassphraseFailsClearly() {
    Path file = dir.resolve("me.id");
    memberId(runWithEnv(Map.of(Passphrase.ENV, "s3cret"), "new", file));
    for (Cli.Result r : new Cli.Result[] {
        runWithEnv(Map.of(Passphrase.ENV, "s3cre7"), "show", file),
        runWithEnv(Map.of(), "show", file, "--passphrase-file", Cli.write(dir.resolve("p"), "S3cret"))}) {
      String err = r.failed();
      assertEquals(1, r.code());
      assertTrue(err.contains("wrong passphrase or damaged identity file"), err);
    }
  }

  @Test
  void aMissingFileFailsClearly() {
    Cli.Result r = runWithEnv(Map.of(), "show", dir.resolve("nobody.id"));
    String err = r.failed();
    assertEquals(1, r.code());
    assertTrue(err.contains("no identity file") && err.contains("nobody.id"), err);
    Cli.Result noPass = runWithEnv(Map.of(), "new", dir.resolve("x.id"), "--passphrase-file", dir.resolve("nope"));
    assertTrue(noPass.failed().contains("no passphrase file"), noPass.err());
    assertFalse(Files.exists(dir.resolve("x.id")), "nothing created without the passphrase");
  }

  @Test
  void anEmptyPassphraseIsRefused() {
    Path file = dir.resolve("me.id");
    assertTrue(runWithEnv(Map.of(Passphrase.ENV, ""), "new", file).failed().contains("empty"));
    assertTrue(runWithEnv(Map.of(), "new", file, "--passphrase-file", Cli.write(dir.resolve("p"), "\n")).failed().contains("empty"));
    assertFalse(Files.exists(file));
  }

  @Test
  void runsThroughMainToo() {
    Path file = dir.resolve("me.id");
    String id = Cli.run("id", "new", file).ok().strip();
    assertTrue(MEMBER_ID.matcher(id).matches(), id);
    assertEquals(id + "\n", Cli.run("id", "show", file).ok());
    String help = Cli.run("id", "--help").ok();
    assertTrue(help.contains("new") && help.contains("show") && help.contains(Passphrase.ENV), help);
    assertTrue(Cli.run("id").failed().contains("missing command"));
  }
}
