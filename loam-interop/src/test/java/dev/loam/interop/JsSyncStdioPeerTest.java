package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An Automerge JS 3.5.0 peer ({@code js/sync-stdio-peer.mjs}) spawns {@code ./loam doc sync-stdio
 * FILE} and syncs its own document with FILE over the command's framed stdin/stdout; both must end
 * with the same heads and JSON, the command exiting 0 after saving FILE.
 *
 * <p>Needs the built jars that {@code ./loam} runs ({@code ./build}; {@code ./test} packages
 * {@code loam-cli} before this module) and {@code node_modules}; skipped when either is missing
 * outside CI.
 */
class JsSyncStdioPeerTest {
  private static Path launcher;

  @TempDir Path dir;

  @BeforeAll
  static void requireJarsAndNode() throws IOException {
    Path module = NodeDriver.moduleDir();
    Path root = module.getParent();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isDirectory(module.resolve("node_modules/@automerge/automerge"))) {
      skip(ci, "node_modules is missing in " + module + ": run `npm ci` there to enable the interop tests");
    }
    if (!built(root.resolve("loam-cli/target"), "loam-cli-") || !Files.isDirectory(root.resolve("loam-cli/target/lib"))) {
      skip(ci, "the loam jars are not built: run ./build (or ./test) to enable the sync-stdio interop test");
    }
    launcher = root.resolve("loam");
  }

  private static void skip(boolean ci, String msg) {
    if (ci) {
      fail("CI=true and " + msg);
    }
    abort(msg);
  }

  private static boolean built(Path target, String prefix) throws IOException {
    if (!Files.isDirectory(target)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(target, prefix + "*.jar")) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar")) {
          return true;
        }
      }
    }
    return false;
  }

  private static Document base() {
    Document d = Document.create(ActorId.fromHex("0a0a"));
    ObjId text = d.putObject(ObjId.ROOT, "text", ObjType.TEXT);
    d.spliceText(text, 0, 0, "hello");
    d.commit();
    return d;
  }

  /** n small changes: root puts and text splices. */
  private static void edit(Document d, Random rng, int n) {
    ObjId text = d.get(ObjId.ROOT, "text").map(v -> ((Value.Obj) v).id()).orElseThrow();
    for (int i = 0; i < n; i++) {
      if (rng.nextBoolean()) {
        d.spliceText(text, rng.nextInt(d.length(text) + 1), 0, String.valueOf((char) ('a' + rng.nextInt(26))));
      } else {
        d.put(ObjId.ROOT, "k" + rng.nextInt(20), ScalarValue.of(rng.nextInt(1000)));
      }
      d.commit();
    }
  }

  /** Runs the JS peer against ./loam over the two documents and checks that both converge. */
  private void converge(Document loam, Document js) throws Exception {
    Path loamFile = Files.write(dir.resolve("loam.automerge"), loam.save());
    Path jsFile = Files.write(dir.resolve("js.automerge"), js.save());
    ProcessBuilder pb = new ProcessBuilder("node", "js/sync-stdio-peer.mjs", launcher.toString(), loamFile.toString(),
        jsFile.toString()).directory(NodeDriver.moduleDir().toFile()).redirectErrorStream(false);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JS peer finished");
    assertEquals(0, p.exitValue(), "node: " + err);
    JsonNode r = NodeDriver.JSON.readTree(new String(out, StandardCharsets.UTF_8));
    assertEquals(0, r.get("exitCode").asInt(), "loam doc sync-stdio: " + r.get("stderr").asString());
    assertEquals("", r.get("stderr").asString(), "nothing on Loam's stderr");
    Document synced = Document.load(Files.readAllBytes(loamFile));
    List<String> heads = synced.heads().hashes().stream().map(ChangeHash::hex).sorted().toList();
    assertEquals(heads, NodeDriver.JSON.convertValue(r.get("heads"), List.class));
    assertEquals(NodeDriver.JSON.readTree(synced.toJson()), r.get("json"));
    Document expected = loam.fork();
    expected.merge(js);
    assertEquals(expected.heads(), synced.heads(), "Loam's file holds both sides' changes");
  }

  @Test
  void aJsPeerAndLoamWithDivergentHistoriesConverge() throws Exception {
    Random rng = new Random(1);
    Document a = base();
    Document b = a.fork();
    edit(a, rng, 30);
    edit(b, rng, 30);
    converge(a, b);
  }

  @Test
  void anEmptyJsPeerReceivesLoamsDocument() throws Exception {
    Document a = base();
    edit(a, new Random(2), 50);
    converge(a, Document.create());
  }

  @Test
  void anEmptyLoamFileReceivesTheJsDocument() throws Exception {
    Document b = base();
    edit(b, new Random(3), 50);
    converge(Document.create(), b);
  }

  @Test
  void longConcurrentBranchesWhoseMessagesPassThePipeBuffers() throws Exception {
    Random rng = new Random(4);
    Document a = base();
    Document b = a.fork();
    edit(a, rng, 1500);
    edit(b, rng, 1500);
    converge(a, b);
  }
}
