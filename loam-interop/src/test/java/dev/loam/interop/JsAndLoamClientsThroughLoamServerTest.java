package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.Repo;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.LoamServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A stock JS automerge-repo 2.5.6 client ({@code Repo} + {@code WebSocketClientAdapter}, driven by
 * js/repo-ws-client.mjs) and a Loam {@link Repo} with {@link WebSocketClientAdapter}, both connected
 * to a {@link LoamServer} on loopback, edit one document concurrently and converge to the same heads
 * and JSON; then both go offline (each closes its socket), edit, reconnect and converge again. What
 * JS reports is compared with what Loam reports.
 */
class JsAndLoamClientsThroughLoamServerTest {
  private static final int EDITS = 20;
  private static final int OFFLINE_EDITS = 5;

  @TempDir Path tmp;

  @Test
  void aDocumentCreatedInJsIsEditedConcurrentlyFromJsAndLoamAndOfflineEditsSyncOnReconnect() throws Exception {
    run(true);
  }

  @Test
  void aDocumentCreatedInLoamIsEditedConcurrentlyFromJsAndLoamAndOfflineEditsSyncOnReconnect() throws Exception {
    run(false);
  }

  private void run(boolean jsCreates) throws Exception {
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
            .storage(SqliteStorageAdapter.open(tmp.resolve("server.sqlite"))).build().start();
        JsRepoClient js = JsRepoClient.start("ws://127.0.0.1:" + server.port())) {
      Switchable net = new Switchable(URI.create("ws://127.0.0.1:" + server.port()));
      try (Repo loam = Repo.builder().storage(SqliteStorageAdapter.open(tmp.resolve("loam.sqlite"))).network(net).build()) {
        RepoDocs.await("the Loam client sees the server", () -> !loam.peers().isEmpty());
        DocHandle h;
        String id;
        if (jsCreates) {
          id = js.call("create", "text", "first").get("documentId").asString();
          // JS announces the document to the server on its own time; ask for it once the server has it
          RepoDocs.await("the server has the document", () -> server.documentCount() > 0);
          h = loam.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);
        } else {
          h = loam.create();
          h.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
          RepoDocs.append(h, "first");
          id = h.documentId().toString();
          RepoDocs.await("JS finds the document through the server", () -> {
            try {
              js.call("find", "documentId", id);
              return true;
            } catch (IllegalStateException unavailableYet) {
              return false;
            }
          });
        }

        // Online: both sides edit at once.
        CompletableFuture<Void> jsEdits = CompletableFuture.runAsync(() -> {
          for (int i = 0; i < EDITS; i++) {
            js.call("append", "documentId", id, "text", "js " + i);
          }
        });
        for (int i = 0; i < EDITS; i++) {
          RepoDocs.append(h, "loam " + i);
        }
        jsEdits.get(60, TimeUnit.SECONDS);
        awaitConverged(js, id, h);
        List<String> online = items(h);
        assertEquals(1 + 2 * EDITS, online.size(), online.toString());
        for (int i = 0; i < EDITS; i++) {
          assertTrue(online.contains("js " + i) && online.contains("loam " + i), online.toString());
        }

        // Offline: both close their sockets, then edit.
        js.call("offline");
        net.offline();
        RepoDocs.await("the Loam client sees the server gone", () -> loam.peers().isEmpty());
        // both sockets are gone at the server too, so no edit below has a way across
        RepoDocs.await("the server sees both clients gone", () -> server.peerCount() == 0);
        for (int i = 0; i < OFFLINE_EDITS; i++) {
          js.call("append", "documentId", id, "text", "js offline " + i);
          RepoDocs.append(h, "loam offline " + i);
        }
        JsonNode jsOffline = js.call("state", "documentId", id);
        assertNotEquals(jsOffline.get("heads"), RepoDocs.hexHeads(h), "offline edits stayed apart");
        assertEquals(1 + 2 * EDITS + OFFLINE_EDITS, jsOffline.get("json").get("items").size());
        assertEquals(1 + 2 * EDITS + OFFLINE_EDITS, items(h).size());

        // Reconnect: both come back and converge.
        net.online();
        js.call("online");
        awaitConverged(js, id, h);
        List<String> all = items(h);
        assertEquals(1 + 2 * EDITS + 2 * OFFLINE_EDITS, all.size(), all.toString());
        for (int i = 0; i < OFFLINE_EDITS; i++) {
          assertTrue(all.contains("js offline " + i) && all.contains("loam offline " + i), all.toString());
        }
      }
    }
  }

  /**
   * The Loam client's network, which a test can take offline (closing its
   * {@link WebSocketClientAdapter}, which reports the server disconnected) and bring back (a fresh
   * adapter for the same URL), as the JS driver does with its adapter.
   */
  private static final class Switchable implements NetworkAdapter {
    private final URI uri;
    private @Nullable PeerId self;
    private @Nullable PeerMetadata metadata;
    private @Nullable Listener listener;
    private @Nullable WebSocketClientAdapter current;

    Switchable(URI uri) {
      this.uri = uri;
    }

    @Override
    public synchronized void connect(PeerId self, PeerMetadata metadata, Listener listener) {
      this.self = self;
      this.metadata = metadata;
      this.listener = listener;
      online();
    }

    synchronized void online() {
      if (current != null) {
        return;
      }
      current = WebSocketClientAdapter.builder(uri).initialBackoff(Duration.ofMillis(100)).build();
      current.connect(self, metadata, listener);
    }

    synchronized void offline() {
      if (current != null) {
        current.close();
        current = null;
      }
    }

    @Override
    public void send(RepoMessage message) {
      WebSocketClientAdapter c;
      synchronized (this) {
        c = current;
      }
      if (c != null) {
        c.send(message);
      }
    }

    @Override
    public void close() {
      offline();
    }
  }

  private static void awaitConverged(JsRepoClient js, String id, DocHandle h) {
    RepoDocs.await("JS and Loam have the same heads", () -> js.call("heads", "documentId", id).get("heads").equals(RepoDocs.hexHeads(h)));
    JsonNode state = js.call("state", "documentId", id);
    assertEquals(state.get("heads"), RepoDocs.hexHeads(h), "same heads");
    assertEquals(state.get("json"), NodeDriver.JSON.readTree(h.toJson()), "same JSON");
  }



  /** The items as JSON strings (JS inserts text objects, Loam scalar strings). */
  private static List<String> items(DocHandle h) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : NodeDriver.JSON.readTree(h.toJson()).get("items")) {
      out.add(item.asString());
    }
    return out;
  }
}
