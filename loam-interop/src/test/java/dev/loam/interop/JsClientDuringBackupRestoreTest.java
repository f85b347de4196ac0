package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.LoamServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code loam backup restore --server} into a {@link LoamServer} while a stock JS automerge-repo
 * client (js/repo-ws-client.mjs) is connected and editing: the JS client receives the restored
 * documents as ordinary sync, its edits made while the restore runs are all kept, and it converges
 * with the server (the same heads and JSON) rather than looping. What JS reports is compared with
 * what the source repo held (for the restored changes) and with what JS itself wrote.
 */
class JsClientDuringBackupRestoreTest {
  private static final int OTHER_DOCS = 40;
  private static final int JS_EDITS = 10;

  @TempDir Path tmp;

  @Test
  void aJsClientEditingWhileABackupIsRestoredThroughTheServerKeepsEveryEditAndReceivesTheRestoredDocuments() throws Exception {
    // the source: one shared {items} document and others, in a folder as loam serve keeps it
    Path source = tmp.resolve("source");
    String shared;
    Map<String, JsonNode> restoredHeads = new LinkedHashMap<>();
    List<String> restoredItems = List.of("restored 0", "restored 1", "restored 2");
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(source.resolve("loam.db"))).build()) {
      DocHandle h = repo.create();
      h.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
      restoredItems.forEach(text -> RepoDocs.append(h, text));
      shared = h.documentId().toString();
      restoredHeads.put(shared, RepoDocs.hexHeads(h));
      for (int i = 0; i < OTHER_DOCS; i++) {
        DocHandle o = repo.create();
        o.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
        RepoDocs.append(o, "other " + i);
        restoredHeads.put(o.documentId().toString(), RepoDocs.hexHeads(o));
      }
      repo.flush();
    }
    Path archive = tmp.resolve("backup.loam");
    loam("backup", "create", "--out", archive.toString(), "--data", source.toString());

    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
            .storage(SqliteStorageAdapter.open(tmp.resolve("server.sqlite"))).build().start();
        JsRepoClient js = JsRepoClient.start("ws://127.0.0.1:" + server.port())) {
      String ws = "ws://127.0.0.1:" + server.port();
      CompletableFuture<String> restore = CompletableFuture.supplyAsync(() -> loam("backup", "restore", archive.toString(),
          "--server", ws));
      // JS edits the shared document as soon as the server has it, while the restore goes on
      RepoDocs.await("JS finds the restored document through the server", () -> {
        try {
          js.call("find", "documentId", shared);
          return true;
        } catch (IllegalStateException notYet) {
          return false;
        }
      });
      List<String> jsItems = new ArrayList<>();
      for (int i = 0; i < JS_EDITS; i++) {
        jsItems.add("js " + i);
        js.call("append", "documentId", shared, "text", "js " + i);
      }
      String out = restore.get(120, TimeUnit.SECONDS);
      assertTrue(out.startsWith("restored " + (OTHER_DOCS + 1) + " documents into the server at " + ws), out);

      // a Loam client of the server and the JS client converge on the shared document
      WebSocketClientAdapter net = WebSocketClientAdapter.of(ws);
      try (Repo loam = Repo.builder().storage(new InMemoryStorageAdapter()).network(net).build()) {
        PeerId serverPeer = net.firstHandshake().get(30, TimeUnit.SECONDS);
        DocHandle h = loam.find(DocumentId.parse(shared)).whenReady().get(30, TimeUnit.SECONDS);
        RepoDocs.await("JS and the server agree on the shared document", () -> {
          try {
            h.whenSyncedWith(serverPeer).get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return js.call("heads", "documentId", shared).get("heads").equals(RepoDocs.hexHeads(h));
        });
        JsonNode state = js.call("state", "documentId", shared);
        List<String> items = new ArrayList<>();
        state.get("json").get("items").forEach(n -> items.add(n.asString()));
        List<String> expected = new ArrayList<>(restoredItems);
        expected.addAll(jsItems);
        assertEquals(expected, items, "every restored item, then every JS edit, none lost");
        assertEquals(NodeDriver.JSON.readTree(h.toJson()), state.get("json"));
      }
      // JS receives every other restored document, at the backup's heads, as ordinary sync
      for (Map.Entry<String, JsonNode> e : restoredHeads.entrySet()) {
        if (!e.getKey().equals(shared)) {
          js.call("find", "documentId", e.getKey());
          RepoDocs.await("JS has document " + e.getKey() + " at the backup's heads",
              () -> js.call("heads", "documentId", e.getKey()).get("heads").equals(e.getValue()));
        }
      }
    }
  }

  /** Runs {@code loam args} in-process; returns stdout, failing on a non-zero exit or any stderr. */
  private static String loam(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = dev.loam.cli.Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    if (code != 0 || !err.toString().isEmpty()) {
      throw new AssertionError("loam " + String.join(" ", args) + " exited " + code + ": " + err);
    }
    return out.toString();
  }
}
