package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands on secure documents within one repo folder: several identities take turns on the
 * same folder, so every rule the CLI shows (levels, exit status 3, removal) is checked without a
 * server ({@link SecureEndToEndTest} adds the server).
 */
class SecureCommandsTest {
  @TempDir Path dir;
  Path data;
  Path alice;
  Path bob;
  String aliceId;
  String bobId;

  @BeforeEach
  void identities() {
    data = dir.resolve("data");
    alice = dir.resolve("alice.id");
    bob = dir.resolve("bob.id");
    aliceId = Cli.run("id", "new", alice).ok().strip();
    bobId = Cli.run("id", "new", bob).ok().strip();
  }

  private String newDocument() {
    String url = Cli.run("repo", "new", "--secure", "--id", alice, "--data", data).ok().strip();
    assertTrue(url.startsWith("loam-secure:"), url);
    return url;
  }

  /** Asserts the refusal of a secure document to an identity: exit status 3, one line, none of {@code content}. */
  private static String denied(Cli.Result r, String... content) {
    assertEquals(Main.DENIED, r.code(), r.err());
    String line = r.failed();
    for (String c : content) {
      assertFalse(line.contains(c), "no content in the message: " + line);
    }
    return line;
  }

  @Test
  void theCreatorIsTheOnlyMemberAndCanWriteAndRead() {
    String url = newDocument();
    assertEquals(aliceId + " admin\n", Cli.run("repo", "members", url, "--id", alice, "--data", data).ok());
    assertEquals("{}\n", Cli.run("repo", "cat", url, "--id", alice, "--data", data).ok());
    Cli.run("repo", "edit", url, "--id", alice, "--data", data, "--put", "/title", "\"hello\"", "--put", "/n", "1").ok();
    assertEquals("{\"n\":1,\"title\":\"hello\"}\n", Cli.run("repo", "cat", url, "--id", alice, "--data", data).ok());
    assertEquals("", Cli.run("repo", "ls", "--data", data).ok(), "repo ls lists plain documents only");
  }

  @Test
  void aNonMemberCanNeitherReadNorEditAndLearnsNoContent() {
    String url = newDocument();
    Cli.run("repo", "edit", url, "--id", alice, "--data", data, "--put", "/secret", "\"s3cr3t-value\"").ok();
    String line = denied(Cli.run("repo", "cat", url, "--id", bob, "--data", data), "s3cr3t");
    assertTrue(line.contains(bobId + " may not read " + url), line);
    denied(Cli.run("repo", "edit", url, "--id", bob, "--data", data, "--put", "/x", "1"), "s3cr3t");
    denied(Cli.run("repo", "share", url, bobId, "--level", "admin", "--id", bob, "--data", data));
    assertEquals("{\"secret\":\"s3cr3t-value\"}\n", Cli.run("repo", "cat", url, "--id", alice, "--data", data).ok(),
        "the refused edit changed nothing");
  }

  @Test
  void aReaderReadsButMayNotEditAndAnEditorEdits() {
    String url = newDocument();
    Cli.run("repo", "edit", url, "--id", alice, "--data", data, "--put", "/a", "1").ok();
    Cli.run("repo", "share", url, bobId, "--level", "read", "--id", alice, "--data", data).ok();
    assertEquals(List.of(aliceId + " admin", bobId + " read"),
        Cli.run("repo", "members", url, "--id", bob, "--data", data).ok().lines().toList());
    assertEquals("{\"a\":1}\n", Cli.run("repo", "cat", url, "--id", bob, "--data", data).ok());
    String line = denied(Cli.run("repo", "edit", url, "--id", bob, "--data", data, "--put", "/b", "2"));
    assertTrue(line.contains("(its level is read)"), line);

    Cli.run("repo", "share", url, bobId, "--level", "edit", "--id", alice, "--data", data).ok();
    Cli.run("repo", "edit", url, "--id", bob, "--data", data, "--put", "/b", "2").ok();
    assertEquals("{\"a\":1,\"b\":2}\n", Cli.run("repo", "cat", url, "--id", alice, "--data", data).ok());
    denied(Cli.run("repo", "share", url, aliceId, "--level", "read", "--id", bob, "--data", data));
  }

  @Test
  void aRelayMayNotRead() {
    String url = newDocument();
    Cli.run("repo", "share", url, bobId, "--level", "relay", "--id", alice, "--data", data).ok();
    denied(Cli.run("repo", "cat", url, "--id", bob, "--data", data));
  }

  @Test
  void aRemovedReaderKeepsWhatWasWrittenBeforeButNotAfter() {
    String url = newDocument();
    Cli.run("repo", "share", url, bobId, "--level", "read", "--id", alice, "--data", data).ok();
    Cli.run("repo", "edit", url, "--id", alice, "--data", data, "--put", "/old", "\"before-removal\"").ok();
    Cli.run("repo", "unshare", url, bobId, "--id", alice, "--data", data).ok();
    Cli.run("repo", "edit", url, "--id", alice, "--data", data, "--put", "/new", "\"after-removal\"").ok();
    assertEquals(aliceId + " admin\n", Cli.run("repo", "members", url, "--id", alice, "--data", data).ok());

    String bobSees = Cli.run("repo", "cat", url, "--id", bob, "--data", data).ok();
    assertEquals("{\"old\":\"before-removal\"}\n", bobSees);
    assertEquals("{\"new\":\"after-removal\",\"old\":\"before-removal\"}\n",
        Cli.run("repo", "cat", url, "--id", alice, "--data", data).ok());
    denied(Cli.run("repo", "edit", url, "--id", bob, "--data", data, "--put", "/x", "1"), "removal");
    assertTrue(Cli.run("repo", "unshare", url, bobId, "--id", alice, "--data", data).failed().contains("is not a member"));
  }

  @Test
  void anUnknownSecureDocumentFailsAsAPlainOneDoes() {
    String url = newDocument();
    Path other = dir.resolve("other");
    Cli.run("repo", "new", "--data", other).ok();
    Cli.Result r = Cli.run("repo", "cat", url, "--id", alice, "--data", other);
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.failed().contains("the repo folder has no document " + url), r.err());
  }

  @Test
  void wrongUseIsReportedClearly() {
    String url = newDocument();
    assertTrue(runWithEnv(Map.of(), "cat", url, "--data", data).failed().contains("needs an identity: --id FILE"));
    assertTrue(runWithEnv(Map.of(), "new", "--secure", "--data", data).failed().contains("needs an identity"));
    Cli.Result badLevel = Cli.run("repo", "share", url, bobId, "--level", "owner", "--id", alice, "--data", data);
    assertEquals(Main.USAGE, badLevel.code());
    assertTrue(badLevel.err().contains("not a level"), badLevel.err());
    assertTrue(Cli.run("repo", "share", url, "loam1xyz", "--level", "read", "--id", alice, "--data", data).failed()
        .contains("member id"));
    String plain = Cli.run("repo", "new", "--data", data).ok().strip();
    assertTrue(Cli.run("repo", "members", plain, "--id", alice, "--data", data).failed().contains("works on secure documents"));
    assertTrue(Cli.run("repo", "new", "--secure", "--id", alice, "--data", data, "--from", dir.resolve("x.automerge"))
        .failed().contains("--from cannot start a secure document"));
  }

  @Test
  void plainDocumentsIgnoreTheIdentity() {
    String plain = Cli.run("repo", "new", "--data", data, "--id", alice).ok().strip();
    Cli.run("repo", "edit", plain, "--id", dir.resolve("missing.id"), "--data", data, "--put", "/a", "1").ok();
    assertEquals("{\"a\":1}\n", Cli.run("repo", "cat", plain, "--id", bob, "--data", data).ok());
  }

  @Test
  void theIdentityComesFromLoamIdAndASealedOneFromItsPassphrase() {
    Path sealed = dir.resolve("sealed.id");
    Path pass = Cli.write(dir.resolve("pass.txt"), "correct horse\n");
    String sealedId = Cli.run("id", "new", sealed, "--passphrase-file", pass).ok().strip();
    Map<String, String> env = Map.of(IdOption.ENV, sealed.toString(), Passphrase.ENV, "correct horse");
    String url = runWithEnv(env, "new", "--secure", "--data", data).ok().strip();
    assertEquals(sealedId + " admin\n", runWithEnv(env, "members", url, "--data", data).ok());
    assertTrue(runWithEnv(Map.of(IdOption.ENV, sealed.toString()), "members", url, "--data", data).failed()
        .contains("sealed with a passphrase"));
  }

  /** Runs {@code loam repo SUBCOMMAND args...} with {@code env} as the environment of its identity lookup. */
  private static Cli.Result runWithEnv(Map<String, String> env, String subcommand, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    IdOption id = (IdOption) cl.getSubcommands().get("repo").getSubcommands().get(subcommand).getCommandSpec().mixins().get("id").userObject();
    id.env(env::get);
    String[] all = new String[args.length + 2];
    all[0] = "repo";
    all[1] = subcommand;
    for (int i = 0; i < args.length; i++) {
      all[i + 2] = args[i].toString();
    }
    return new Cli.Result(cl.execute(all), out.toString(), err.toString());
  }
}
