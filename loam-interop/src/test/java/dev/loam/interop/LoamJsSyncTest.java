package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Loam peer and an Automerge JS 3.5.0 peer ({@code js/sync-driver.mjs}) start from seeded random
 * divergent documents (one side empty, disjoint histories, long concurrent branches with thousands
 * of changes, short branches) and exchange sync messages until both stop. Both must end with the
 * same heads and JSON, and the session may take no more messages than two JS peers need for the
 * same documents in the same speaking order (measured in the same node process), nor more bytes
 * beyond DEFLATE differences.
 */
class LoamJsSyncTest {
  private static final HexFormat HEX = HexFormat.of();
  private static Process node;
  private static OutputStream stdin;
  private static BufferedReader stdout;
  private static long nextId = 1;
  private static long loamMessages;
  private static long jsMessages;
  private static long loamBytes;
  private static long jsBytes;

  @BeforeAll
  static void startNode() throws IOException {
    Path dir = NodeDriver.moduleDir();
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge"))) {
      String msg = "node_modules is missing in " + dir + ": run `npm ci` there to enable the interop tests";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    node = new ProcessBuilder(System.getProperty("loam.node", "node"), "js/sync-driver.mjs")
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    stdin = node.getOutputStream();
    stdout = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    call("ping", NodeDriver.JSON.createObjectNode());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.destroy();
      System.out.println("Loam↔JS: " + loamMessages + " messages, " + loamBytes + " bytes; JS↔JS: "
          + jsMessages + " messages, " + jsBytes + " bytes");
    }
  }

  private static JsonNode call(String cmd, ObjectNode args) {
    args.put("id", nextId++);
    args.put("cmd", cmd);
    try {
      stdin.write((NodeDriver.JSON.writeValueAsString(args) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String line = stdout.readLine();
      if (line == null) {
        throw new IllegalStateException("node exited while answering " + cmd);
      }
      JsonNode resp = NodeDriver.JSON.readTree(line);
      if (!resp.get("ok").asBoolean()) {
        throw new IllegalStateException("node failed " + cmd + ": " + resp.get("error").asString() + "\n" + resp.path("stack").asString(""));
      }
      return resp.get("result");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> aLoamPeerAndAJsPeerConvergeInNoMoreMessagesThanTwoJsPeers() {
    return Seeds.tests(LoamJsSyncTest.class, this::check);
  }

  private void check(long seed) {
    boolean loamFirst = seed % 2 == 0;
    ObjectNode args = NodeDriver.JSON.createObjectNode();
    args.put("seed", seed);
    args.put("loamFirst", loamFirst);
    JsonNode setup = call("setup", args);
    JsonNode jsjs = setup.get("jsjs");
    assertTrue(jsjs.get("equal").asBoolean(), "two JS peers converge");
    Document loam = Document.load(HEX.parseHex(setup.get("b").asString()));
    SyncState state = new SyncState();

    int messages = 0;
    long bytes = 0;
    int limit = 4 * jsjs.get("messages").asInt() + 20;
    while (true) {
      boolean sent = false;
      for (int turn = 0; turn < 2; turn++) {
        boolean loamTurn = (turn == 0) == loamFirst;
        if (loamTurn) {
          Optional<SyncMessage> m = Sync.generateSyncMessage(loam, state);
          if (m.isPresent()) {
            byte[] b = m.get().encode();
            sent = true;
            messages++;
            bytes += b.length;
            ObjectNode r = NodeDriver.JSON.createObjectNode();
            r.put("hex", HEX.formatHex(b));
            call("receive", r);
          }
        } else {
          JsonNode m = call("generate", NodeDriver.JSON.createObjectNode()).get("hex");
          if (!m.isNull()) {
            byte[] b = HEX.parseHex(m.asString());
            sent = true;
            messages++;
            bytes += b.length;
            Sync.receiveSyncMessage(loam, state, b);
          }
        }
      }
      if (!sent) {
        break;
      }
      assertTrue(messages <= limit, "no convergence after " + messages + " messages");
    }
    JsonNode js = call("result", NodeDriver.JSON.createObjectNode());
    List<ChangeHash> jsHeads = new ArrayList<>();
    for (JsonNode h : js.get("heads")) {
      jsHeads.add(ChangeHash.fromHex(h.asString()));
    }
    String what = setup.get("scenario").asString() + " (" + setup.get("aChanges").asInt() + " JS changes, "
        + setup.get("bChanges").asInt() + " Loam changes, " + (loamFirst ? "Loam" : "JS") + " first)";
    assertEquals(Heads.of(jsHeads), loam.heads(), "heads: " + what);
    assertEquals(LoamJson.canonical(js.get("json")), LoamJson.canonical(LoamJson.plain(loam.materialize(ObjId.ROOT))),
        "JSON: " + what);
    assertEquals(jsjs.get("heads").toString(), js.get("heads").toString(), "the same result as two JS peers: " + what);
    assertEquals(HEX.formatHex(state.encode()), js.get("syncState").asString(), "both sides persist the same shared heads");
    int jsCount = jsjs.get("messages").asInt();
    long jsLen = jsjs.get("bytes").asLong();
    assertTrue(messages <= jsCount, "Loam↔JS took " + messages + " messages, JS↔JS " + jsCount + ": " + what);
    assertTrue(bytes <= jsLen + jsLen / 20 + 64, "Loam↔JS took " + bytes + " bytes, JS↔JS " + jsLen + ": " + what);
    loamMessages += messages;
    jsMessages += jsCount;
    loamBytes += bytes;
    jsBytes += jsLen;
  }
}
