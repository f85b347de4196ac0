package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on purpose, against a real server: one that stops reading is disconnected
 * once what waits for it passes {@link ServerLimits#maxQueuedBytes()} while a well-behaved reader
 * keeps up; a flood of joins (many sockets, and one socket rejoining under ever new names) leaves
 * one peer per socket; a flood of messages from one socket is read one message at a time (the
 * server holds at most one unfinished message for it) while another client syncs; a client asking
 * for thousands of documents that do not exist leaves at most
 * {@link ServerLimits#maxMissingDocumentsPerPeer()} of them in the server while it stays, none once it
 * leaves. Huge frames are covered by {@link UnfinishedMessagesBudgetTest}.
 */
class HostileClientsTest {
  private static final PeerId SERVER = PeerId.of("hostile-test-server");
  private LoamServer server;
  private final List<Repo> repos = new ArrayList<>();

  @AfterEach
  void stop() {
    repos.forEach(Repo::close);
    if (server != null) {
      server.close();
    }
  }

  private void start(ServerLimits limits) throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").peerId(SERVER).storage(new InMemoryStorageAdapter())
        .limits(limits).build().start();
  }

  private Repo repo(String name) throws Exception {
    Repo r = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
        .network(WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + server.port()))
            .initialBackoff(Duration.ofMillis(50)).build())
        .build();
    repos.add(r);
    r.whenPeerConnected().get(20, TimeUnit.SECONDS);
    return r;
  }

  private double closed(String reason) {
    Counter c = server.meterRegistry().find("loam.connections.closed").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  /** A raw socket that joins as {@code name} and reads the server's {@code peer} answer. */
  private RawSocket joined(String name) throws Exception {
    RawSocket s = RawSocket.upgrade(server.port());
    s.sendBinary(new RepoMessage.Join(PeerId.of(name), PeerMetadata.EPHEMERAL, List.of(RepoMessage.PROTOCOL_VERSION)).encode());
    assertInstanceOf(RepoMessage.Peer.class, nextMessage(s));
    return s;
  }

  /** The next binary message from the server, skipping control frames (pings). */
  private static RepoMessage nextMessage(RawSocket s) throws java.io.IOException {
    while (true) {
      RawSocket.Frame f = s.nextFrame();
      if (f == null) {
        throw new java.io.EOFException("the server ended the connection");
      }
      if (f.opcode() == 0x02) {
        return RepoMessage.decode(f.data());
      }
    }
  }

  private static byte[] request(String from, DocumentId id) {
    byte[] m = Sync.generateSyncMessage(Document.create(), new SyncState()).orElseThrow().encode();
    return new RepoMessage.Request(PeerId.of(from), SERVER, id, Bytes.wrap(m)).encode();
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedWhileAReaderThatReadsKeepsUp() throws Exception {
    start(ServerLimits.builder().maxMessageBytes(256 << 10).maxQueuedBytes(512 << 10).build());
    Repo writer = repo("writer");
    Repo reader = repo("reader");
    DocHandle w = writer.create();
    w.change(tx -> tx.put(ObjId.ROOT, "blob", ScalarValue.of("")));
    w.whenPeerHas(SERVER, w.heads()).get(20, TimeUnit.SECONDS);
    DocHandle r = reader.find(w.url()).whenReady().get(20, TimeUnit.SECONDS);
    try (RawSocket slow = joined("slow")) {
      slow.sendBinary(request("slow", w.documentId()));
      // from here on the slow client reads nothing; every change below is relayed to it (32 KiB each)
      Random random = new Random(7);
      int changes = 0;
      while (closed("slow-consumer") == 0) {
        assertTrue(changes < 2_000, "the slow client was not disconnected after " + changes + " changes of 32 KiB");
        char[] text = new char[32 << 10];
        for (int i = 0; i < text.length; i++) {
          text[i] = (char) ('a' + random.nextInt(26));
        }
        w.change(tx -> tx.put(ObjId.ROOT, "blob", ScalarValue.of(new String(text))));
        w.whenPeerHas(SERVER, w.heads()).get(20, TimeUnit.SECONDS);
        changes++;
      }
      assertEquals(1.0, closed("slow-consumer"));
      // the reader that reads got every change, the slow one sees its connection end
      until(r, w.heads()).get(30, TimeUnit.SECONDS);
      slow.awaitEnd();
    }
    assertEquals(0.0, closed("ping-timeout") + closed("internal-error"));
  }

  @Test
  void aFloodOfJoinsLeavesOnePeerPerSocket() throws Exception {
    // the raw sockets do not answer pings: a long liveness timeout keeps the silent ones connected
    start(ServerLimits.builder().livenessTimeout(Duration.ofMinutes(10)).build());
    List<RawSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        sockets.add(joined("flood-" + i));
      }
      // one socket rejoins under 300 new names: the server answers each and keeps only the last
      RawSocket churn = sockets.getFirst();
      for (int k = 0; k < 300; k++) {
        churn.sendBinary(new RepoMessage.Join(PeerId.of("churn-" + k), PeerMetadata.EPHEMERAL,
            List.of(RepoMessage.PROTOCOL_VERSION)).encode());
        assertInstanceOf(RepoMessage.Peer.class, nextMessage(churn));
      }
      assertEquals(100, server.peerCount());
      assertEquals(100, server.connectionCount());
      // a well-behaved client still gets through
      Repo a = repo("well-behaved");
      DocHandle h = a.create();
      h.change(tx -> tx.put(ObjId.ROOT, "k", ScalarValue.of(1)));
      h.whenPeerHas(SERVER, h.heads()).get(20, TimeUnit.SECONDS);
      assertEquals(101, server.peerCount());
    } finally {
      for (RawSocket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void aFloodOfMessagesIsReadOneAtATimeWhileAnotherClientSyncs() throws Exception {
    start(ServerLimits.builder().messagesPerSecond(200).build());
    Repo writer = repo("writer");
    Repo reader = repo("reader");
    DocHandle w = writer.create();
    w.change(tx -> tx.put(ObjId.ROOT, "n", ScalarValue.of(0)));
    w.whenPeerHas(SERVER, w.heads()).get(20, TimeUnit.SECONDS);
    DocHandle r = reader.find(w.url()).whenReady().get(20, TimeUnit.SECONDS);
    io.micrometer.core.instrument.Gauge unfinished = server.meterRegistry().get("loam.messages.unfinished.bytes").gauge();
    try (RawSocket flood = joined("flood")) {
      byte[] one = request("flood", w.documentId());
      long most = 0;
      // 2,000 requests written as fast as the socket takes them, ten times the allowed rate
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < 2_000; i++) {
            flood.sendBinary(one);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (int i = 1; i <= 20; i++) {
        int n = i;
        w.change(tx -> tx.put(ObjId.ROOT, "n", ScalarValue.of(n)));
        until(r, w.heads()).get(20, TimeUnit.SECONDS);
        most = Math.max(most, (long) unfinished.value());
      }
      // the server holds the message it is handling for the flooding socket (and the other clients'
      // few), not the flood: that waits in the socket until the server reads on
      assertTrue(most < 2_000L * one.length / 20, "unfinished bytes held: " + most + " (one request: " + one.length + ")");
      written.cancel(true);
    }
  }

  @Test
  void aClientAskingForThousandsOfMissingDocumentsLeavesAtMostItsCapInTheServer() throws Exception {
    int cap = 50;
    int asked = 5_000;
    // fast enough to ask thousands in a second or two; raw sockets never answer pings
    start(ServerLimits.builder().messagesPerSecond(100_000).livenessTimeout(Duration.ofMinutes(10))
        .maxMissingDocumentsPerPeer(cap).build());
    Repo writer = repo("writer");
    DocHandle w = writer.create();
    w.change(tx -> tx.put(ObjId.ROOT, "k", ScalarValue.of("real")));
    w.whenPeerHas(SERVER, w.heads()).get(20, TimeUnit.SECONDS);
    io.micrometer.core.instrument.Gauge missing = server.meterRegistry().get("loam.documents.missing").gauge();
    Random random = new Random(15);
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < asked; i++) {
      ids.add(DocumentId.random(random));
    }
    try (RawSocket greedy = joined("greedy")) {
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          for (DocumentId id : ids) {
            greedy.sendBinary(request("greedy", id));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // every request is answered doc-unavailable, as automerge-repo's clients expect
      java.util.Set<DocumentId> answered = new java.util.HashSet<>();
      while (answered.size() < asked) {
        if (nextMessage(greedy) instanceof RepoMessage.DocUnavailable u) {
          answered.add(u.documentId());
        }
      }
      written.get(20, TimeUnit.SECONDS);
      assertEquals(java.util.Set.copyOf(ids), answered);
      // the waits pushed out of the cap are let go on their documents' queues, a moment after the answers
      ClusterTest.await("the real document and the client's newest " + cap + " waits",
          () -> server.documentCount() == 1 + cap);
      assertEquals(cap, missing.value());

      // a document one of those ids names, brought later by another client, reaches the greedy
      // client without it asking again, since it still waits for it
      DocumentId late = ids.getLast();
      Document brought = Document.create();
      brought.put(ObjId.ROOT, "late", ScalarValue.of(true));
      brought.commit();
      try (TestClient publisher = TestClient.connect(server.port(), "publisher")) {
        publisher.join();
        SyncState st = new SyncState();
        publisher.send(new RepoMessage.Sync(publisher.id, SERVER, late,
            Bytes.wrap(Sync.generateSyncMessage(brought, st).orElseThrow().encode())));
        WebSocketServerAdapterTest.exchangeUntilQuiet(publisher, brought, st, late);
      }
      greedy.socket.setSoTimeout(20_000); // no read below waits forever
      Document atGreedy = Document.create();
      SyncState greedyState = new SyncState();
      while (!atGreedy.heads().equals(brought.heads())) {
        if (nextMessage(greedy) instanceof RepoMessage.Sync s && s.documentId().equals(late)) {
          Sync.receiveSyncMessage(atGreedy, greedyState, s.data().toByteArray());
          var reply = Sync.generateSyncMessage(atGreedy, greedyState);
          if (reply.isPresent()) {
            greedy.sendBinary(new RepoMessage.Sync(PeerId.of("greedy"), SERVER, late,
                Bytes.wrap(reply.get().encode())).encode());
          }
        }
      }
      assertEquals(cap - 1, missing.value(), "the document it waited for is a document now");
    }
    // gone: none of its waits is left, and a well-behaved client is served as before
    ClusterTest.await("the greedy client's waits are dropped", () -> server.documentCount() == 2);
    assertEquals(0.0, missing.value());
    Repo reader = repo("reader");
    DocHandle r = reader.find(w.url()).whenReady().get(20, TimeUnit.SECONDS);
    assertEquals(w.heads(), r.heads());
    assertEquals(0.0, closed("internal-error"));
  }

  /** Completes once {@code h} holds {@code heads}. */
  private static CompletableFuture<Void> until(DocHandle h, Heads heads) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    DocHandle.Listener l = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (h.heads().equals(heads)) {
          done.complete(null);
        }
      }
    };
    h.addListener(l);
    if (h.heads().equals(heads)) {
      done.complete(null);
    }
    return done.whenComplete((v, e) -> h.removeListener(l));
  }
}
