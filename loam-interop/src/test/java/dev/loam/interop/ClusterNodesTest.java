package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.PostgresStorageAdapter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two {@code loam serve --storage postgres} processes on one embedded PostgreSQL database: a stock
 * JS automerge-repo client on one node and a Loam client on the other (given both URLs) edit one
 * document in a burst; the Loam client's node is killed with SIGKILL mid-burst. Every change the
 * dead node had acknowledged is in the database, the Loam client fails over to the other node,
 * and both clients converge to the same heads and JSON with every edit.
 */
class ClusterNodesTest {
  private static final int LOAM_EDITS = 40;
  private static final int JS_EDITS = 20;
  private static final int KILL_AFTER = 15;

  @TempDir Path tmp;

  @Test
  void jsAndLoamClientsOnTwoNodesConvergeThroughAKillOfOneNodeMidBurst() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate("CREATE DATABASE loam_cluster");
      }
      String url = postgres.getJdbcUrl("postgres", "loam_cluster");
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      try (ClusterNodeProcess one = ClusterNodeProcess.start(url, tmp.resolve("one.log"));
           ClusterNodeProcess two = ClusterNodeProcess.start(url, tmp.resolve("two.log"));
           JsRepoClient js = JsRepoClient.start(two.url());
           Repo loam = Repo.builder().peerId(PeerId.of("loam-client")).storage(new InMemoryStorageAdapter())
               .network(WebSocketClientAdapter.builder(URI.create(one.url())).failover(List.of(URI.create(two.url())))
                   .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500)).build())
               .build()) {
        PeerId nodeOne = loam.whenPeerConnected().get(30, TimeUnit.SECONDS);
        DocHandle h = loam.create();
        h.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
        h.whenPeerHas(nodeOne, h.heads()).get(30, TimeUnit.SECONDS);
        String id = h.documentId().toString();
        // created through node one, found by the JS client through node two
        RepoDocs.await("JS finds the document through node two", () -> {
          try {
            js.call("find", "documentId", id);
            return true;
          } catch (IllegalStateException unavailableYet) {
            return false;
          }
        });

        CompletableFuture<Void> jsEdits = CompletableFuture.runAsync(() -> {
          for (int i = 0; i < JS_EDITS; i++) {
            js.call("append", "documentId", id, "text", "js " + i);
          }
        }, threads);
        Heads acknowledged = Heads.EMPTY;
        for (int i = 0; i < LOAM_EDITS; i++) {
          RepoDocs.append(h, "loam " + i);
          if (i == KILL_AFTER) {
            h.whenPeerHas(nodeOne, h.heads()).get(30, TimeUnit.SECONDS); // node one acknowledged these
            acknowledged = h.heads();
            RepoDocs.append(h, "loam " + i + " unacknowledged"); // in flight as the node dies
            one.kill();
          }
        }
        jsEdits.get(60, TimeUnit.SECONDS);

        // nothing node one acknowledged is lost: it is all in the database
        try (Repo reader = Repo.builder().storage(PostgresStorageAdapter.builder().url(url).poolSize(2).build()).build()) {
          DocHandle stored = reader.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);
          for (ChangeHash c : acknowledged) {
            boolean present = stored.read(d -> d.change(c).isPresent());
            assertTrue(present, "acknowledged change " + c + " is in the database");
          }
        }

        // the Loam client failed over to node two; both converge with every edit
        RepoDocs.await("JS and Loam have the same heads", () ->
            js.call("heads", "documentId", id).get("heads").equals(RepoDocs.hexHeads(h)));
        JsonNode state = js.call("state", "documentId", id);
        assertEquals(state.get("json"), NodeDriver.JSON.readTree(h.toJson()), "same JSON");
        List<String> items = new ArrayList<>();
        state.get("json").get("items").forEach(n -> items.add(n.asString()));
        assertEquals(LOAM_EDITS + 1 + JS_EDITS, items.size(), items.toString());
        for (int i = 0; i < LOAM_EDITS; i++) {
          assertTrue(items.contains("loam " + i), items.toString());
        }
        for (int i = 0; i < JS_EDITS; i++) {
          assertTrue(items.contains("js " + i), items.toString());
        }
      } finally {
        threads.shutdownNow();
      }
    }
  }
}
