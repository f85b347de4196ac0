package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.Repo;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A Loam {@link Repo} with {@link WebSocketClientAdapter} syncs through the official JS sync-server
 * setup (automerge-repo 2.5.6 {@code WebSocketServerAdapter}, NodeFS storage, a never-share
 * policy) on a loopback port: documents created on either side are found on the other, edits on
 * both sides converge to the same heads and JSON.
 */
class WebSocketSyncServerInteropTest {
  @TempDir Path tmp;

  private Repo loam(String name) {
    return Repo.builder()
        .storage(SqliteStorageAdapter.open(tmp.resolve(name + ".sqlite")))
        .network(WebSocketClientAdapter.builder(java.net.URI.create(server.url()))
            .initialBackoff(Duration.ofMillis(100)).build())
        .build();
  }

  private JsSyncServer server;

  @Test
  void aDocumentCreatedInJsIsFoundFromLoamAndEditsOnBothSidesConverge() throws Exception {
    try (JsSyncServer js = JsSyncServer.start(tmp.resolve("js-data"))) {
      server = js;
      String id = js.call("create", "text", "js 0").get("documentId").asString();
      try (Repo repo = loam("loam")) {
        DocHandle h = repo.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);
        assertEquals(List.of("js 0"), items(h));
        for (int i = 1; i <= 5; i++) {
          js.call("append", "documentId", id, "text", "js " + i);
          RepoDocs.append(h, "loam " + i);
        }
        awaitConverged(js, id, h);
        assertEquals(11, items(h).size());
      }
    }
  }

  @Test
  void aMultiMegabyteDocumentArrivesWholeOverTheSocket() throws Exception {
    try (JsSyncServer js = JsSyncServer.start(tmp.resolve("js-data"))) {
      server = js;
      int size = 3 * 1024 * 1024;
      String id = js.call("createBlob", "size", String.valueOf(size)).get("documentId").asString();
      try (Repo repo = loam("loam")) {
        DocHandle h = repo.find(DocumentId.parse(id)).whenReady().get(60, TimeUnit.SECONDS);
        byte[] blob = h.read(d -> ((ScalarValue.BytesValue) d.get(ObjId.ROOT, "blob").orElseThrow()).value().toByteArray());
        assertEquals(size, blob.length);
        assertEquals((byte) ((12345 * 31 + 7) & 0xff), blob[12345]);
        RepoDocs.append(h, "loam");
        // heads only: JSON.stringify writes a Uint8Array as an index map, Loam's JSON as base64
        RepoDocs.await("JS and Loam have the same heads", () -> js.call("heads", "documentId", id).get("heads").equals(RepoDocs.hexHeads(h)));
        assertEquals(List.of("blob", "loam"), items(h));
      }
    }
  }

  @Test
  void aDocumentCreatedInLoamIsFoundInJsAndEditsOnBothSidesConverge() throws Exception {
    try (JsSyncServer js = JsSyncServer.start(tmp.resolve("js-data"))) {
      server = js;
      try (Repo repo = loam("loam")) {
        DocHandle h = repo.create();
        h.change(tx -> tx.putObject(ObjId.ROOT, "items", dev.loam.ObjType.LIST));
        RepoDocs.append(h, "loam 0");
        String id = h.documentId().toString();
        // the server announces nothing, but the Loam client announces its documents to it
        RepoDocs.await("the server has the document", () -> {
          try {
            js.call("find", "documentId", id);
            return js.call("state", "documentId", id).get("heads").equals(RepoDocs.hexHeads(h));
          } catch (IllegalStateException unavailableYet) {
            return false;
          }
        });
        for (int i = 1; i <= 5; i++) {
          js.call("append", "documentId", id, "text", "js " + i);
          RepoDocs.append(h, "loam " + i);
        }
        awaitConverged(js, id, h);
        assertEquals(11, items(h).size());
      }
    }
  }

  @Test
  void twoLoamClientsEditThroughTheJsServerAndOfflineEditsSyncOnReconnect() throws Exception {
    try (JsSyncServer js = JsSyncServer.start(tmp.resolve("js-data"))) {
      server = js;
      String id;
      List<String> expected = new ArrayList<>();
      try (Repo a = loam("a"); Repo b = loam("b")) {
        DocHandle ha = a.create();
        ha.change(tx -> tx.putObject(ObjId.ROOT, "items", dev.loam.ObjType.LIST));
        id = ha.documentId().toString();
        RepoDocs.await("the server has it", () -> {
          try {
            js.call("find", "documentId", id);
            return true;
          } catch (IllegalStateException e) {
            return false;
          }
        });
        DocHandle hb = b.find(ha.documentId()).whenReady().get(30, TimeUnit.SECONDS);
        RepoDocs.append(ha, "a");
        RepoDocs.append(hb, "b");
        RepoDocs.await("a and b converge through the server", () -> ha.heads().equals(hb.heads()) && items(ha).size() == 2);
      }
      // b edits offline (a fresh repo on b's SQLite file, no network), then reconnects
      Repo offline = Repo.builder().storage(SqliteStorageAdapter.open(tmp.resolve("b.sqlite"))).build();
      DocHandle hb = offline.find(DocumentId.parse(id)).whenReady().get(10, TimeUnit.SECONDS);
      RepoDocs.append(hb, "b offline");
      offline.close();
      try (Repo b = loam("b")) {
        DocHandle again = b.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);
        awaitConverged(js, id, again);
        assertEquals(3, items(again).size());
      }
    }
  }

  private static void awaitConverged(JsSyncServer js, String id, DocHandle h) {
    RepoDocs.await("JS and Loam have the same heads", () -> js.call("heads", "documentId", id).get("heads").equals(RepoDocs.hexHeads(h)));
    JsonNode state = js.call("state", "documentId", id);
    assertEquals(state.get("json"), NodeDriver.JSON.readTree(h.toJson()));
  }



  private static List<String> items(DocHandle h) {
    return h.read(d -> {
      ObjId items = ((Value.Obj) d.get(ObjId.ROOT, "items").orElseThrow()).id();
      List<String> out = new ArrayList<>();
      // JS strings arrive as text objects, Loam's inserts are scalar strings: read both as JSON
      for (JsonNode item : NodeDriver.JSON.readTree(d.toJson()).get("items")) {
        out.add(item.asString());
      }
      return out;
    });
  }
}
