package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.LoamServer;
import dev.loam.server.ServerLimits;
import io.micrometer.core.instrument.Gauge;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stock JS automerge-repo 2.5.6 client (js/repo-ws-client.mjs) asks a {@link LoamServer} for
 * documents nobody has, more than {@link ServerLimits#maxMissingDocumentsPerPeer()}: each
 * {@code repo.find} still fails as unavailable (the server answers {@code doc-unavailable}, which
 * the JS repo waits for), the server keeps at most the cap of them while the client is connected
 * (a wait pushed out is let go a moment later, on its document's queue) and none once it goes
 * offline, and the client then finds a real document as before.
 */
class JsClientAskingForMissingDocumentsTest {
  @Test
  void everyMissingDocumentIsReportedUnavailableAndTheServerKeepsAtMostTheCap() throws Exception {
    int cap = 10;
    int asked = 40;
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter())
            .limits(ServerLimits.builder().maxMissingDocumentsPerPeer(cap).build()).build().start();
        JsRepoClient js = JsRepoClient.start("ws://127.0.0.1:" + server.port())) {
      Gauge missing = server.meterRegistry().get("loam.documents.missing").gauge();
      Random random = new Random(15);
      for (int i = 0; i < asked; i++) {
        String id = DocumentId.random(random).toString();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> js.call("find", "documentId", id));
        assertTrue(String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("unavailable"),
            "JS reports the document unavailable: " + e.getMessage());
        // the wait a find pushes out of the cap is let go on that document's queue, a moment later
        int found = i + 1;
        RepoDocs.await("at most " + cap + " missing documents held after " + found + " finds", () -> missing.value() <= cap);
      }
      RepoDocs.await("the newest " + cap + " waits held", () -> server.documentCount() == cap);
      assertEquals(cap, missing.value());

      js.call("offline");
      RepoDocs.await("the server drops the waits of the client that left", () -> server.documentCount() == 0);
      assertEquals(0.0, missing.value());

      js.call("online");
      try (Repo loam = Repo.builder().storage(new InMemoryStorageAdapter())
          .network(WebSocketClientAdapter.of("ws://127.0.0.1:" + server.port())).build()) {
        loam.whenPeerConnected().get(20, TimeUnit.SECONDS);
        DocHandle h = loam.create();
        h.change(tx -> tx.put(ObjId.ROOT, "k", ScalarValue.of("here")));
        h.whenPeerHas(loam.peers().keySet().iterator().next(), h.heads()).get(20, TimeUnit.SECONDS);
        js.call("find", "documentId", h.documentId().toString());
        // back online, the JS repo asks again for the documents it still wants: again at most the cap
        RepoDocs.await("at most " + cap + " missing documents held after the reconnect", () -> missing.value() <= cap);
        assertTrue(server.documentCount() <= cap + 1, "documents held: " + server.documentCount());
      }
    }
  }
}
