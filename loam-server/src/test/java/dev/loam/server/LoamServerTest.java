package dev.loam.server;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.sync.SyncState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoamServerTest {
  @TempDir Path data;

  private LoamServer sqliteServer() throws Exception {
    return LoamServer.builder().port(0).host("127.0.0.1").peerId(PeerId.of("test-server"))
        .storage(SqliteStorageAdapter.open(data.resolve("loam.db"))).build().start();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_answers_200_with_a_json_status() throws Exception {
    try (LoamServer server = sqliteServer()) {
      HttpResponse<String> r = get(server.port(), "/health");
      assertEquals(200, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
      assertTrue(r.body().startsWith("{\"status\":\"up\""), r.body());
      assertTrue(r.body().contains("\"storageId\":\"" + server.storageId().value() + "\""), r.body());
      assertEquals(404, get(server.port(), "/nothing-here").statusCode());
    }
  }

  @Test
  void metrics_are_served_in_prometheus_format_and_count_what_happened() throws Exception {
    try (LoamServer server = sqliteServer(); TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      Document doc = Document.create();
      doc.put(ObjId.ROOT, "k", ScalarValue.of("v"));
      doc.commit();
      DocumentId id = DocumentId.random();
      SyncState st = new SyncState();
      c.send(WebSocketServerAdapterTest.sync(c.id, id, doc, st));
      WebSocketServerAdapterTest.exchangeUntilQuiet(c, doc, st, id);
      HttpResponse<String> r = get(server.port(), "/metrics");
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
      String body = r.body();
      for (String metric : new String[] {"loam_connections 1.0", "loam_peers 1.0", "loam_documents 1.0",
          "loam_messages_received_total{type=\"join\"} 1.0", "loam_messages_sent_total{type=\"peer\"} 1.0",
          "loam_bytes_received_bytes_total", "loam_bytes_sent_bytes_total", "loam_sync_latency_seconds_count"}) {
        assertTrue(body.contains(metric), () -> metric + " missing from\n" + body);
      }
    }
  }

  @Test
  void a_change_the_server_acknowledged_survives_a_restart() throws Exception {
    DocumentId id = DocumentId.random();
    Document doc = Document.create();
    doc.put(ObjId.ROOT, "greeting", ScalarValue.of("hello"));
    doc.commit();
    try (LoamServer server = sqliteServer(); TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      SyncState st = new SyncState();
      c.send(WebSocketServerAdapterTest.sync(c.id, id, doc, st));
      WebSocketServerAdapterTest.exchangeUntilQuiet(c, doc, st, id);
    }
    try (SqliteStorageAdapter storage = SqliteStorageAdapter.open(data.resolve("loam.db"))) {
      Document stored = new StorageSubsystem(storage).loadDoc(id).orElseThrow();
      assertEquals(doc.heads(), stored.heads());
    }
  }

  @Test
  void a_data_folder_and_its_lock_file_are_created_for_the_owner_only() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(data.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path folder = data.resolve("new").resolve("data");
    try (DataFolderLock lock = DataFolderLock.acquire(folder, "loam serve on port 3030")) {
      for (Path dir : new Path[] {data.resolve("new"), folder}) {
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(dir)), dir.toString());
      }
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
          java.nio.file.Files.getPosixFilePermissions(lock.file())));
    }
  }

  @Test
  void health_reports_the_uptime_of_the_injected_clock() throws Exception {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1").clock(now::get)
        .storage(SqliteStorageAdapter.open(data.resolve("loam.db"))).build().start()) {
      now.set(now.get().plusSeconds(5400));
      String body = get(server.port(), "/health").body();
      assertTrue(body.contains("\"uptimeSeconds\":5400}"), body);
    }
  }

  @Test
  void a_second_lock_on_a_data_folder_is_refused_with_a_clear_message() {
    try (DataFolderLock first = DataFolderLock.acquire(data, "loam serve on port 3030")) {
      StorageLockedException e = assertThrows(StorageLockedException.class,
          () -> DataFolderLock.acquire(data, "loam repo ls"));
      assertTrue(e.getMessage().contains("is in use by loam serve on port 3030 (pid "), e.getMessage());
    }
    DataFolderLock.acquire(data, "again").close();
  }

  @Test
  void graceful_shutdown_closes_sockets_with_going_away() throws Exception {
    LoamServer server = sqliteServer();
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      server.close();
      assertEquals(1001, c.awaitClose().status());
    }
  }

}
