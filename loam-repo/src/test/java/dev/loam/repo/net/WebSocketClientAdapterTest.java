package dev.loam.repo.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The WebSocket client against a minimal in-test server: handshake, fragments, reconnects, refusals. */
class WebSocketClientAdapterTest {
  private static final PeerId CLIENT = PeerId.of("client");
  private static final PeerId SERVER = PeerId.of("server");
  private static final DocumentId DOC = DocumentId.parse("paDvPLpbtauLzSphGAQpT65EzH9");
  private static final PeerMetadata SERVER_META = PeerMetadata.persistent(StorageId.of("7f0c2d1e-5b7a-4c6d-8e9f-0a1b2c3d4e5f"));

  private static final class Events implements NetworkAdapter.Listener {
    final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override public void peerCandidate(PeerId peer, PeerMetadata metadata) { queue.add(List.of("candidate", peer, metadata)); }

    @Override public void peerDisconnected(PeerId peer) { queue.add(List.of("disconnected", peer)); }

    @Override public void message(RepoMessage message) { queue.add(message); }

    Object next() throws InterruptedException {
      Object o = queue.poll(10, TimeUnit.SECONDS);
      if (o == null) {
        throw new AssertionError("nothing happened within 10 s");
      }
      return o;
    }

    Object none() throws InterruptedException {
      return queue.poll(300, TimeUnit.MILLISECONDS);
    }
  }

  private static WebSocketClientAdapter client(MiniWebSocketServer server, int maxBytes) {
    return WebSocketClientAdapter.builder(URI.create(server.url())).initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(200)).maxMessageBytes(maxBytes).random(new SplittableRandom(1)).build();
  }

  private static MiniWebSocketServer.Conn handshake(MiniWebSocketServer server, Events events) throws Exception {
    MiniWebSocketServer.Conn conn = server.accept();
    RepoMessage.Join join = assertInstanceOf(RepoMessage.Join.class, conn.read());
    assertEquals(CLIENT, join.senderId());
    assertEquals(Optional.of(List.of("1")), join.supportedProtocolVersions());
    assertTrue(join.peerMetadata().orElseThrow().ephemeral());
    conn.write(new RepoMessage.Peer(SERVER, CLIENT, SERVER_META, "1"), 1);
    assertEquals(List.of("candidate", SERVER, SERVER_META), events.next());
    return conn;
  }

  @Test
  void joinsThenReportsTheServerAndCarriesMessagesBothWays() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = client(server, 1 << 24)) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      RepoMessage toClient = new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(new byte[] {0x42, 1}));
      conn.write(toClient, 1);
      assertEquals(toClient, events.next());
      RepoMessage toServer = new RepoMessage.Request(CLIENT, SERVER, DOC, Bytes.of(new byte[] {0x42, 2}));
      client.send(toServer);
      assertEquals(toServer, conn.read());
      client.send(new RepoMessage.Sync(CLIENT, PeerId.of("someone-else"), DOC, Bytes.of(new byte[] {1})));
      client.send(toServer);
      assertEquals(toServer, conn.read(), "the message for an unknown peer was dropped");
    }
  }

  @Test
  void reassemblesAMessageSentInManyFragments() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = client(server, 1 << 24)) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      byte[] big = new byte[2_000_000];
      new SplittableRandom(3).nextBytes(big);
      RepoMessage m = new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(big));
      conn.write(m, 37);
      RepoMessage got = assertInstanceOf(RepoMessage.Sync.class, events.next());
      assertArrayEquals(big, ((RepoMessage.Sync) got).data().toByteArray());
    }
  }

  @Test
  void reportsTheDisconnectAndReconnectsWithANewJoin() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = client(server, 1 << 24)) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn first = handshake(server, events);
      first.close();
      assertEquals(List.of("disconnected", SERVER), events.next());
      MiniWebSocketServer.Conn second = handshake(server, events); // a new join, a new candidate
      RepoMessage m = new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(new byte[] {7}));
      second.write(m, 2);
      assertEquals(m, events.next());
    }
  }

  @Test
  void refusesAServerThatSelectsAnotherProtocolVersion() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = client(server, 1 << 24)) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = server.accept();
      conn.read();
      conn.write(new RepoMessage.Peer(SERVER, CLIENT, SERVER_META, "2"), 1);
      assertNull(conn.readMessage(), "the client closes the socket");
      assertNull(events.none(), "no peer is reported");
    }
  }

  @Test
  void closesTheConnectionOnAMessagePastTheLimitOrUndecodable() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = client(server, 1000)) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      conn.write(new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(new byte[5000])), 3);
      assertEquals(List.of("disconnected", SERVER), events.next());
      MiniWebSocketServer.Conn again = handshake(server, events);
      again.writeBytes(new byte[] {(byte) 0xff, 0x00, 0x13}, 1);
      assertEquals(List.of("disconnected", SERVER), events.next());
      handshake(server, events);
    }
  }

  @Test
  void aServerThatEndsEachConnectionWithAnErrorIsRetriedEverMoreSlowlyAndADroppedOneAtOnce() throws Exception {
    // with an initial backoff of 200 ms, the fifth refusal in a row waits 1.6-3.2 s; a handshake alone would
    // reset the delay to 100-200 ms every time, so a server refusing what the client sends on each
    // connection (a message over its size limit) would be hammered
    try (MiniWebSocketServer server = new MiniWebSocketServer();
         WebSocketClientAdapter client = WebSocketClientAdapter.builder(URI.create(server.url()))
             .initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)).random(new SplittableRandom(1))
             .build()) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      long refusedAt = 0;
      for (int i = 0; i < 5; i++) {
        MiniWebSocketServer.Conn conn = handshake(server, events);
        if (i == 4) {
          long waited = System.nanoTime() - refusedAt;
          assertTrue(waited >= 1_500_000_000L, "the fifth reconnect after four refusals came after " + waited / 1e6 + " ms");
        }
        conn.write(new RepoMessage.Error(SERVER, CLIENT, "message too large"), 1);
        refusedAt = System.nanoTime();
        assertEquals(List.of("disconnected", SERVER), events.next());
      }
      MiniWebSocketServer.Conn kept = handshake(server, events);
      kept.close(); // ended without an error: the streak of refusals is over
      long droppedAt = System.nanoTime();
      assertEquals(List.of("disconnected", SERVER), events.next());
      handshake(server, events);
      long waited = System.nanoTime() - droppedAt;
      assertTrue(waited < 1_500_000_000L, "after a connection that ended well the client waited " + waited / 1e6 + " ms");
    }
  }

  @Test
  void closeIsIdempotentAndStopsReconnecting() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer()) {
      WebSocketClientAdapter client = client(server, 1 << 24);
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      client.close();
      client.close();
      assertEquals(List.of("disconnected", SERVER), events.next());
      assertNull(conn.readMessage(), "a close frame");
      client.send(new RepoMessage.Sync(CLIENT, SERVER, DOC, Bytes.of(new byte[] {1})));
      assertNull(events.none());
    }
  }

  /** A client pinging every 100 ms that drops a socket silent for {@code livenessTimeout}. */
  private static WebSocketClientAdapter pingingClient(MiniWebSocketServer server, Duration livenessTimeout) {
    return WebSocketClientAdapter.builder(URI.create(server.url())).initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(200)).random(new SplittableRandom(1))
        .pingInterval(Duration.ofMillis(100)).livenessTimeout(livenessTimeout).build();
  }

  @Test
  void aServerThatFallsSilentIsDroppedAndReconnected() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = pingingClient(server, Duration.ofMillis(600))) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn silent = handshake(server, events);
      // the test never reads `silent` again: pings go unanswered, nothing is sent, TCP stays open
      assertEquals(List.of("disconnected", SERVER), events.next());
      assertTrue(client.serverPeer().isEmpty(), "the dropped socket is no longer current");
      MiniWebSocketServer.Conn second = handshake(server, events); // reconnected: a new join, a new candidate
      RepoMessage m = new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(new byte[] {9}));
      second.write(m, 1);
      assertEquals(m, events.next());
      silent.close();
    }
  }

  @Test
  void aServerThatAnswersPingsKeepsTheConnection() throws Exception {
    // a timeout of ten intervals, so that a pong delayed by a busy machine does not drop the socket
    try (MiniWebSocketServer server = new MiniWebSocketServer();
        WebSocketClientAdapter client = pingingClient(server, Duration.ofSeconds(1))) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      conn.readInBackground(); // answers each ping with a pong, sends nothing else
      // the 25th ping comes at least 2.5 s after the socket opened, past two liveness timeouts;
      // without the pongs the client would have dropped this socket and stopped pinging it by then
      assertTrue(conn.pings.tryAcquire(25, 20, TimeUnit.SECONDS), "25 pings within 20 s");
      assertNull(events.queue.poll(), "no disconnect was reported");
      assertEquals(Optional.of(SERVER), client.serverPeer());
      RepoMessage m = new RepoMessage.Sync(SERVER, CLIENT, DOC, Bytes.of(new byte[] {3}));
      conn.write(m, 1);
      assertEquals(m, events.next());
    }
  }

  @Test
  void aServerThatShutsItsOutputWithoutACloseFrameIsReportedGone() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = pingingClient(server, Duration.ofMillis(600))) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn conn = handshake(server, events);
      conn.shutdownOutput(); // FIN without a close frame; the server's side still reads
      conn.readInBackground();
      assertEquals(List.of("disconnected", SERVER), events.next());
      handshake(server, events);
    }
  }

  @Test
  void aServerThatUpgradesButNeverAnswersTheJoinIsRetried() throws Exception {
    // 2 s, not 600 ms: on a loaded machine the client could give up on the socket before it had
    // even written its join, and the read below would see the end of the stream instead
    try (MiniWebSocketServer server = new MiniWebSocketServer(); WebSocketClientAdapter client = pingingClient(server, Duration.ofSeconds(2))) {
      Events events = new Events();
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
      MiniWebSocketServer.Conn mute = server.accept();
      assertInstanceOf(RepoMessage.Join.class, mute.read()); // then silence
      handshake(server, events); // the next attempt; no disconnect was reported, no peer was known
      assertEquals(SERVER, client.firstHandshake().get(10, TimeUnit.SECONDS));
      mute.close();
    }
  }

  @Test
  void theBuilderRefusesALivenessTimeoutShorterThanTwoPingIntervals() {
    WebSocketClientAdapter.Builder b = WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:1"))
        .pingInterval(Duration.ofSeconds(1)).livenessTimeout(Duration.ofMillis(1999));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("at least two ping intervals"), e.getMessage());
    b.livenessTimeout(Duration.ofSeconds(2)).build().close();
    IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:1")).pingInterval(Duration.ZERO).build());
    assertTrue(zero.getMessage().contains("must be positive"), zero.getMessage());
  }

  @Test
  void anHttpUrlIsRefusedByTheBuilder() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WebSocketClientAdapter.of("http://127.0.0.1:3030"));
    assertTrue(e.getMessage().contains("not a WebSocket URL"), e.getMessage());
  }

  @Test
  void aRefusedConnectionFailsTheFirstHandshakeAtOnceAndRetryingGoesOn() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // free once closed: nothing listens there
    }
    WebSocketClientAdapter client = WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + port))
        .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(200)).random(new SplittableRandom(1)).build();
    try {
      client.connect(CLIENT, PeerMetadata.EPHEMERAL, new Events());
      java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class, () -> client.firstHandshake().get(10, TimeUnit.SECONDS));
      ConnectionFailedException failure = assertInstanceOf(ConnectionFailedException.class, e.getCause());
      assertEquals("could not reach the sync server at ws://127.0.0.1:" + port + ": connection refused (is the server running on port "
          + port + "?)", failure.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void theFirstHandshakeCompletesWithTheServersPeerId() throws Exception {
    try (MiniWebSocketServer server = new MiniWebSocketServer()) {
      WebSocketClientAdapter client = client(server, 1 << 20);
      try {
        Events events = new Events();
        client.connect(CLIENT, PeerMetadata.EPHEMERAL, events);
        handshake(server, events);
        assertEquals(SERVER, client.firstHandshake().get(10, TimeUnit.SECONDS));
      } finally {
        client.close();
      }
    }
  }
}
