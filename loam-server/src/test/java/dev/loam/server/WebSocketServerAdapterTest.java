package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketServerAdapterTest {
  private LoamServer server;

  private LoamServer start(ServerLimits limits) throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").peerId(PeerId.of("test-server"))
        .storage(new InMemoryStorageAdapter()).limits(limits).build().start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void join_is_answered_with_peer_naming_the_servers_storage_and_protocol_version_1() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      RepoMessage.Peer peer = c.join();
      assertEquals(PeerId.of("test-server"), peer.senderId());
      assertEquals(PeerId.of("peer-a"), peer.targetId());
      assertEquals("1", peer.selectedProtocolVersion());
      assertEquals(Optional.of(PeerMetadata.persistent(server.storageId())), peer.peerMetadata());
    }
  }

  @Test
  void join_without_supported_versions_means_version_1() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.send(new RepoMessage.Join(c.id, Optional.empty(), Optional.empty()));
      assertEquals("1", c.next(RepoMessage.Peer.class).selectedProtocolVersion());
    }
  }

  @Test
  void join_with_only_unsupported_versions_gets_an_error_and_the_socket_closes() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.send(new RepoMessage.Join(c.id, PeerMetadata.EPHEMERAL, List.of("2")));
      RepoMessage.Error error = c.next(RepoMessage.Error.class);
      assertEquals("unsupported protocol version", error.message());
      assertEquals(1008, c.awaitClose().status());
    }
  }

  @Test
  void undecodable_cbor_closes_that_connection_with_an_error_and_nothing_else() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient bad = TestClient.connect(server.port(), "peer-bad");
         TestClient good = TestClient.connect(server.port(), "peer-good")) {
      bad.join();
      good.join();
      bad.sendRaw(new byte[] {(byte) 0xff, 0x00, 0x13});
      RepoMessage.Error error = bad.next(RepoMessage.Error.class);
      assertTrue(error.message().startsWith("could not decode message"), error.message());
      assertEquals(1007, bad.awaitClose().status());

      DocumentId id = DocumentId.random();
      good.send(request(good.id, id, Document.create(), new SyncState()));
      assertInstanceOf(RepoMessage.Sync.class, good.next());
      assertFalse(good.closed.isDone());
    }
  }

  @Test
  void an_empty_frame_is_undecodable() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      c.sendRaw(new byte[0]);
      assertNotNull(c.next(RepoMessage.Error.class));
      assertEquals(1007, c.awaitClose().status());
    }
  }

  @Test
  void a_message_over_the_size_limit_closes_the_connection_with_an_error() throws Exception {
    start(ServerLimits.builder().maxMessageBytes(4096).build());
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      c.sendRaw(new byte[10_000]);
      RepoMessage.Error error = c.next(RepoMessage.Error.class);
      assertTrue(error.message().startsWith("message too large"), error.message());
      assertEquals(1009, c.awaitClose().status());
    }
  }

  @Test
  void the_default_limit_admits_a_whole_document_sync_message_of_several_megabytes() throws Exception {
    start(ServerLimits.DEFAULT);
    Document doc = Document.create();
    byte[] big = new byte[6 << 20];
    new java.util.Random(1).nextBytes(big);
    doc.put(ObjId.ROOT, "blob", ScalarValue.bytes(big));
    doc.commit();
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      DocumentId id = DocumentId.random();
      SyncState state = new SyncState();
      c.send(sync(c.id, id, doc, state));
      // The server answers the first message (its heads are empty), then asks for the changes.
      exchangeUntilQuiet(c, doc, state, id);
      assertEquals(1, server.documentCount());
      assertFalse(c.closed.isDone());
    }
  }

  @Test
  void a_second_join_with_the_same_sender_replaces_the_old_socket_and_the_old_one_is_ignored() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient first = TestClient.connect(server.port(), "peer-a");
         TestClient second = TestClient.connect(server.port(), "peer-a")) {
      first.join();
      second.join();
      TestClient.Closed closed = first.awaitClose();
      assertEquals(1000, closed.status());
      assertEquals(1, server.peerCount());
      DocumentId id = DocumentId.random();
      second.send(request(second.id, id, Document.create(), new SyncState()));
      assertInstanceOf(RepoMessage.Sync.class, second.next());
    }
  }

  @Test
  void messages_before_join_are_dropped() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      DocumentId before = DocumentId.random();
      c.send(request(c.id, before, Document.create(), new SyncState()));
      c.join(); // the Peer answer comes first: nothing was sent about the request before the join
      DocumentId after = DocumentId.random();
      c.send(request(c.id, after, Document.create(), new SyncState()));
      // The connection hands its messages to the repo in order, and the repo opens a document's
      // handle as it takes the message: once the request after the join is answered, a request
      // before it that had been let through would have opened its document already.
      RepoMessage.DocUnavailable u = c.next(RepoMessage.DocUnavailable.class);
      assertEquals(after, u.documentId());
      assertEquals(1, server.documentCount());
    }
  }

  @Test
  void two_clients_exchange_changes_through_the_server() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient a = TestClient.connect(server.port(), "peer-a");
         TestClient b = TestClient.connect(server.port(), "peer-b")) {
      a.join();
      b.join();
      DocumentId id = DocumentId.random();
      Document docA = Document.create();
      docA.put(ObjId.ROOT, "hello", ScalarValue.of("world"));
      docA.commit();
      SyncState stA = new SyncState();
      a.send(sync(a.id, id, docA, stA));
      exchangeUntilQuiet(a, docA, stA, id);

      Document docB = Document.create();
      SyncState stB = new SyncState();
      b.send(request(b.id, id, docB, stB));
      exchangeUntilQuiet(b, docB, stB, id);
      assertEquals(docA.heads(), docB.heads());
      assertEquals(docA.toJson(), docB.toJson());

      // A change from b reaches a, which has synced this document, without a asking again.
      docB.put(ObjId.ROOT, "from", ScalarValue.of("b"));
      docB.commit();
      Sync.generateSyncMessage(docB, stB).ifPresent(m -> sendQuietly(b, id, m.encode()));
      exchangeUntilQuiet(b, docB, stB, id);
      exchangeUntilQuiet(a, docA, stA, id);
      assertEquals(docB.heads(), docA.heads());
    }
  }

  @Test
  void a_request_for_an_unknown_document_gets_an_empty_sync_then_doc_unavailable() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      DocumentId id = DocumentId.random();
      c.send(request(c.id, id, Document.create(), new SyncState()));
      assertInstanceOf(RepoMessage.Sync.class, c.next());
      RepoMessage.DocUnavailable u = (RepoMessage.DocUnavailable) c.next();
      assertEquals(id, u.documentId());
    }
  }

  @Test
  void ephemeral_messages_are_relayed_to_the_documents_other_peers_once() throws Exception {
    start(ServerLimits.DEFAULT);
    try (TestClient a = TestClient.connect(server.port(), "peer-a");
         TestClient b = TestClient.connect(server.port(), "peer-b")) {
      a.join();
      b.join();
      DocumentId id = DocumentId.random();
      // As automerge-repo: ephemeral messages go to the peers syncing the document, so both ask for it first.
      a.send(request(a.id, id, Document.create(), new SyncState()));
      b.send(request(b.id, id, Document.create(), new SyncState()));
      a.next(RepoMessage.DocUnavailable.class);
      b.next(RepoMessage.DocUnavailable.class);
      b.inbox.clear();
      b.send(new RepoMessage.Ephemeral(b.id, PeerId.of("test-server"), id, "s-b", 1, Bytes.wrap(new byte[] {(byte) 0xf6})));
      assertEquals(b.id, a.next(RepoMessage.Ephemeral.class).senderId());
      RepoMessage.Ephemeral e = new RepoMessage.Ephemeral(a.id, PeerId.of("test-server"), id, "s-a", 1, Bytes.wrap(new byte[] {1}));
      a.send(e);
      a.send(e); // a duplicate count is dropped
      a.send(new RepoMessage.Ephemeral(a.id, PeerId.of("test-server"), id, "s-a", 2, Bytes.wrap(new byte[] {2})));
      RepoMessage.Ephemeral got = b.next(RepoMessage.Ephemeral.class);
      assertEquals(a.id, got.senderId());
      assertEquals(b.id, got.targetId());
      assertEquals("s-a", got.sessionId());
      assertEquals(1, got.count());
      // relayed in order, so a relayed duplicate would have come before the next count
      assertEquals(2, b.next(RepoMessage.Ephemeral.class).count());
    }
  }

  @Test
  void a_silent_socket_is_dropped_after_the_liveness_timeout() throws Exception {
    start(ServerLimits.builder().pingInterval(Duration.ofMillis(100)).livenessTimeout(Duration.ofMillis(400)).build());
    try (RawSocket silent = RawSocket.upgrade(server.port())) {
      long start = System.nanoTime();
      silent.awaitEnd(); // it reads (and never answers) the pings
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 400, "dropped after " + ms + " ms, before the liveness timeout");
      assertEquals(1.0, server.meterRegistry().get("loam.connections.closed").tag("reason", "ping-timeout").counter().count());
    }
  }

  @Test
  void a_client_that_sends_frames_but_never_answers_pings_is_kept_alive() throws Exception {
    start(ServerLimits.builder().pingInterval(Duration.ofMillis(100)).livenessTimeout(Duration.ofMillis(400)).build());
    try (RawSocket silent = RawSocket.upgrade(server.port());
         RawSocket busy = RawSocket.upgrade(server.port())) {
      java.util.concurrent.CountDownLatch silentDropped = new java.util.concurrent.CountDownLatch(1);
      Thread.ofVirtual().start(() -> {
        try {
          silent.awaitEnd();
        } catch (Exception e) {
          // counted as ended
        }
        silentDropped.countDown();
      });
      // busy never pongs, but sends a ping frame every 50 ms until the silent one is dropped
      for (int i = 0; !silentDropped.await(50, java.util.concurrent.TimeUnit.MILLISECONDS); i++) {
        assertTrue(i < 200, "the silent socket was never dropped");
        busy.ping("tick".getBytes(StandardCharsets.US_ASCII));
      }
      // the same tick that dropped the silent socket kept this one: it is still served
      busy.ping("alive".getBytes(StandardCharsets.US_ASCII));
      busy.awaitPong("alive".getBytes(StandardCharsets.US_ASCII));
      assertEquals(1.0, server.meterRegistry().get("loam.connections.closed").tag("reason", "ping-timeout").counter().count());
    }
  }

  @Test
  void a_dropped_connection_ends_at_once_without_a_close_frame() throws Exception {
    start(ServerLimits.DEFAULT);
    // a raw socket, not the JDK's WebSocket client: that client now and then leaves an end of
    // stream unreported (its socket stays in CLOSE-WAIT), which would hide what the server sent
    try (RawSocket c = RawSocket.upgrade(server.port())) {
      c.sendBinary(new RepoMessage.Join(PeerId.of("peer-a"), PeerMetadata.EPHEMERAL, List.of("1")).encode());
      assertEquals(0x02, c.nextOpcode(), "the server answers a join with a peer message");
      server.dropConnections();
      // the server closes the connection for good only after a grace of 5 s: an end of stream
      // within 4 s is the FIN it sends at once
      c.socket.setSoTimeout(4_000);
      List<Integer> before = new ArrayList<>();
      for (int op = c.nextOpcode(); op >= 0; op = c.nextOpcode()) {
        before.add(op);
      }
      assertFalse(before.contains(0x08), "a close frame came before the end: " + before);
    }
    assertEquals(1.0, server.meterRegistry().get("loam.connections.closed").tag("reason", "dropped").counter().count());
  }

  @Test
  void a_connection_over_its_message_rate_is_slowed_down_not_dropped() throws Exception {
    start(ServerLimits.builder().messagesPerSecond(5).build());
    try (TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      long start = System.nanoTime();
      for (int i = 0; i < 15; i++) {
        c.send(request(c.id, DocumentId.random(), Document.create(), new SyncState()));
      }
      for (int i = 0; i < 15; i++) {
        c.next(RepoMessage.DocUnavailable.class);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      // join + 15 requests at 5 per second with a bucket of 5: about 2.2 s.
      assertTrue(ms >= 1_500, "took only " + ms + " ms");
      assertFalse(c.closed.isDone());
    }
  }

  // --- helpers ---

  static RepoMessage.Request request(PeerId from, DocumentId id, Document doc, SyncState state) {
    byte[] m = Sync.generateSyncMessage(doc, state).orElseThrow().encode();
    return new RepoMessage.Request(from, PeerId.of("test-server"), id, Bytes.wrap(m));
  }

  static RepoMessage.Sync sync(PeerId from, DocumentId id, Document doc, SyncState state) {
    byte[] m = Sync.generateSyncMessage(doc, state).orElseThrow().encode();
    return new RepoMessage.Sync(from, PeerId.of("test-server"), id, Bytes.wrap(m));
  }

  private static void sendQuietly(TestClient c, DocumentId id, byte[] m) {
    try {
      c.send(new RepoMessage.Sync(c.id, PeerId.of("test-server"), id, Bytes.wrap(m)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Answers the server's sync messages until it has nothing more to say for 300 ms. */
  static void exchangeUntilQuiet(TestClient c, Document doc, SyncState state, DocumentId id) throws Exception {
    while (true) {
      RepoMessage m = c.inbox.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (m == null) {
        return;
      }
      if (m instanceof RepoMessage.Sync s && s.documentId().equals(id)) {
        Sync.receiveSyncMessage(doc, state, s.data().toByteArray());
        var reply = Sync.generateSyncMessage(doc, state);
        if (reply.isPresent()) {
          c.send(new RepoMessage.Sync(c.id, PeerId.of("test-server"), id, Bytes.wrap(reply.get().encode())));
        }
      }
    }
  }
}
