package dev.loam.repo;

import dev.loam.repo.testing.FakeNetwork;
import dev.loam.repo.testing.FakeNetworkAdapter;
import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repo reopened on its SQLite file has every document, change and its storage id. */
class RepoRestartTest {
  @TempDir Path dir;

  @Test
  void aRepoRestartedFromSqliteKeepsEveryDocumentAndItsStorageId() {
    Path file = dir.resolve("repo.sqlite");
    Map<DocumentId, Heads> heads = new LinkedHashMap<>();
    Map<DocumentId, String> json = new LinkedHashMap<>();
    StorageId storageId;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(file)).syncDebounce(Duration.ofMillis(50)).build()) {
      storageId = repo.storageId().orElseThrow();
      for (int d = 0; d < 5; d++) {
        DocHandle h = repo.create();
        for (int i = 0; i < 30 * d + 1; i++) {
          append(h, "doc " + d + " item " + i);
        }
        heads.put(h.documentId(), h.heads());
        json.put(h.documentId(), h.toJson());
      }
    } // close() flushes what the debounce had not saved yet
    try (Repo again = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      assertEquals(storageId, again.storageId().orElseThrow());
      for (DocumentId id : heads.keySet()) {
        DocHandle h = ready(again.find(id));
        assertEquals(heads.get(id), h.heads());
        assertEquals(json.get(id), h.toJson());
      }
    }
  }

  @Test
  void aDeletedDocumentStaysDeletedAfterRestart() {
    Path file = dir.resolve("repo.sqlite");
    DocumentId id;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      DocHandle h = repo.create();
      append(h, "x");
      id = h.documentId();
      repo.flush();
      repo.delete(id);
    }
    try (Repo again = Repo.builder().storage(SqliteStorageAdapter.open(file)).unavailableTimeout(Duration.ZERO).build()) {
      DocumentUnavailableException e = RepoTestSupport.awaitFailure("unavailable", DocumentUnavailableException.class,
          again.find(id).whenReady());
      assertEquals(DocHandle.State.UNAVAILABLE, e.state());
    }
  }

  @Test
  void ephemeralMessagesDuplicatedByTheNetworkReachListenersOnce() {
    FakeNetwork net = FakeNetwork.builder(7).duplicateRate(0.5).build();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    List<Repo> repos = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      repos.add(Repo.builder().peerId(PeerId.of(name)).network(hub.adapter()).executor(Runnable::run)
          .syncDebounce(Duration.ZERO).unavailableTimeout(Duration.ZERO).build());
    }
    DocHandle ha = repos.get(0).create();
    net.deliverAll(1000);
    DocHandle hb = repos.get(1).find(ha.documentId());
    net.deliverAll(1000);
    CopyOnWriteArrayList<String> heard = new CopyOnWriteArrayList<>();
    hb.addListener(new DocHandle.Listener() {
      @Override public void ephemeral(DocHandle handle, PeerId sender, dev.loam.Bytes data) { heard.add(data.hex()); }
    });
    for (int i = 0; i < 10; i++) {
      ha.broadcast(new byte[] {(byte) (0x00 + i)}); // CBOR unsigned i
    }
    net.deliverAll(1000);
    assertEquals(List.of("00", "01", "02", "03", "04", "05", "06", "07", "08", "09"), heard);
    repos.forEach(Repo::close);
  }

  @Test
  void aStoredDocumentIsReadWithoutOpeningIt() {
    Path file = dir.resolve("repo.sqlite");
    Map<DocumentId, Heads> heads = new LinkedHashMap<>();
    Map<DocumentId, String> json = new LinkedHashMap<>();
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      for (int d = 0; d < 3; d++) {
        DocHandle h = repo.create();
        for (int i = 0; i < 10 * d + 1; i++) {
          append(h, "doc " + d + " item " + i);
        }
        heads.put(h.documentId(), h.heads());
        json.put(h.documentId(), h.toJson());
      }
    }
    try (Repo again = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      for (DocumentId id : heads.keySet()) {
        dev.loam.Document doc = again.loadStored(id).orElseThrow();
        assertEquals(heads.get(id), doc.heads());
        assertEquals(json.get(id), doc.toJson());
        assertEquals(java.util.Optional.empty(), again.handleInMemory(id), "no handle was opened");
      }
      assertEquals(java.util.Set.of(), again.documentIds());
      DocumentId unknown = DocumentId.random();
      assertEquals(java.util.Optional.empty(), again.loadStored(unknown));
      DocumentId first = heads.keySet().iterator().next();
      DocHandle opened = ready(again.find(first));
      assertEquals(java.util.Optional.of(opened), again.handleInMemory(first));
    }
    try (Repo memory = Repo.builder().build()) {
      DocHandle h = memory.create();
      assertEquals(java.util.Optional.empty(), memory.loadStored(h.documentId()), "a repo without storage holds nothing stored");
    }
  }
}
