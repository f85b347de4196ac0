package dev.loam.repo.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * {@link Presence} against raw ephemeral messages shaped as automerge-repo 2.5.6's
 * {@code presence/types.d.ts} defines them ({@code {"__presence": {type, ...}}}); the JS side
 * itself is in loam-interop's {@code JsClientAndLoamPeerTest}. A scripted adapter plays the peers,
 * the repo runs on the test thread.
 */
class PresenceTest {
  private static final CBORMapper CBOR = CBORMapper.builder().build();
  private static final Duration NEVER = Duration.ofHours(1);
  private static final PeerId X = PeerId.of("x");
  private static final PeerId Y = PeerId.of("y");

  /** Reports peers x and y; records what the repo sends. */
  private static final class Scripted implements NetworkAdapter {
    Listener listener;
    final List<RepoMessage.Ephemeral> sent = new CopyOnWriteArrayList<>();
    final java.util.concurrent.Semaphore sends = new java.util.concurrent.Semaphore(0);

    @Override public void connect(PeerId self, PeerMetadata metadata, Listener l) {
      this.listener = l;
    }

    @Override public void send(RepoMessage message) {
      if (message instanceof RepoMessage.Ephemeral e) {
        sent.add(e);
        sends.release();
      }
    }

    @Override public void close() {}
  }

  private final Scripted net = new Scripted();
  private final Repo repo = Repo.builder().peerId(PeerId.of("self")).network(net).executor(Runnable::run).build();
  private final DocHandle handle = repo.create();
  private final AtomicLong count = new AtomicLong();

  PresenceTest() {
    net.listener.peerCandidate(X, PeerMetadata.EPHEMERAL);
    net.listener.peerCandidate(Y, PeerMetadata.EPHEMERAL);
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private void from(PeerId peer, Object message) {
    net.listener.message(new RepoMessage.Ephemeral(peer, PeerId.of("self"), handle.documentId(), "s-" + peer,
        count.incrementAndGet(), Bytes.of(CBOR.writeValueAsBytes(message))));
  }

  private static Map<String, Object> presence(Map<String, Object> body) {
    return Map.of("__presence", body);
  }

  private List<Object> sentTo(PeerId peer) {
    return net.sent.stream().filter(e -> e.targetId().equals(peer) && e.senderId().equals(PeerId.of("self"))).map(e -> CBOR.readValue(e.data().toByteArray(), Object.class)).toList();
  }

  @Test
  void sendsSnapshotsUpdatesAndGoodbyeInAutomergeReposShape() {
    try (Presence p = Presence.builder(handle).heartbeat(NEVER).build()) {
      p.start(Map.of("name", "ada"));
      p.broadcast("cursor", Map.of("line", 3));
      p.stop();
      assertEquals(List.of(
          presence(Map.of("type", "snapshot", "state", Map.of("name", "ada"))),
          presence(Map.of("type", "update", "channel", "cursor", "value", Map.of("line", 3))),
          presence(Map.of("type", "goodbye"))), sentTo(X));
      assertEquals(sentTo(X), sentTo(Y));
      assertEquals(Map.of("name", "ada", "cursor", Map.of("line", 3)), p.localState());
    }
  }

  @Test
  void tracksPeersStatesMergingUpdatesIntoSnapshotsAndForgetsOnGoodbye() throws Exception {
    BlockingQueue<Presence.Event> events = new LinkedBlockingQueue<>();
    try (Presence p = Presence.builder(handle).heartbeat(NEVER).announceDelay(Duration.ZERO).listener(events::add).build()) {
      p.start(Map.of("name", "self"));
      from(X, presence(Map.of("type", "snapshot", "state", Map.of("name", "x", "cursor", 1))));
      from(X, presence(Map.of("type", "update", "channel", "cursor", "value", 2)));
      from(Y, presence(Map.of("type", "update", "channel", "selection", "value", List.of(1, 5))));
      assertEquals(Map.of("name", "x", "cursor", 2), p.peerStates().get(X).value());
      assertEquals(Map.of("selection", List.of(1, 5)), p.peerStates().get(Y).value());
      from(X, presence(Map.of("type", "goodbye")));
      assertEquals(java.util.Set.of(Y), p.peerStates().keySet());
      assertEquals(List.of(
          new Presence.Event.Snapshot(X, Map.of("name", "x", "cursor", 1)),
          new Presence.Event.Update(X, "cursor", 2),
          new Presence.Event.Update(Y, "selection", List.of(1, 5)),
          new Presence.Event.Goodbye(X)), List.copyOf(events));
      // hearing x and then y for the first time made this side send its snapshot again (after announceDelay)
      Object snapshot = presence(Map.of("type", "snapshot", "state", Map.of("name", "self")));
      awaitSent(X, List.of(snapshot, snapshot, snapshot));
    }
  }

  @Test
  void ignoresOtherEphemeralMessagesMalformedPresenceAndPeersPastTheLimit() {
    List<Presence.Event> events = new CopyOnWriteArrayList<>();
    try (Presence p = Presence.builder(handle).heartbeat(NEVER).announceDelay(NEVER).maxPeers(1).listener(events::add).build()) {
      p.start(Map.of());
      from(X, Map.of("cursor", 1)); // an app's own ephemeral message
      from(X, presence(Map.of("type", "dance")));
      from(X, presence(Map.of("type", "snapshot", "state", "not a map")));
      from(X, presence(Map.of("type", "update", "value", 1))); // no channel
      net.listener.message(new RepoMessage.Ephemeral(X, PeerId.of("self"), handle.documentId(), "s", 99,
          Bytes.of(new byte[] {(byte) 0xff}))); // not CBOR
      assertEquals(List.of(), events);
      assertEquals(Map.of(), p.peerStates());
      from(X, presence(Map.of("type", "heartbeat")));
      assertEquals(Map.of(), p.peerStates(), "a heartbeat from an unknown peer tracks nothing");
      from(X, presence(Map.of("type", "update", "channel", "c", "value", 1)));
      from(Y, presence(Map.of("type", "snapshot", "state", Map.of("name", "y"))));
      from(Y, presence(Map.of("type", "update", "channel", "c", "value", 2)));
      assertEquals(java.util.Set.of(X), p.peerStates().keySet(), "y is past maxPeers = 1");
      assertEquals(List.of(new Presence.Event.Heartbeat(X), new Presence.Event.Update(X, "c", 1)), events);
    }
  }

  @Test
  void aPeerSilentForItsTtlIsPruned() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
    BlockingQueue<Presence.Event> events = new LinkedBlockingQueue<>();
    try (Presence p = Presence.builder(handle).heartbeat(Duration.ofMillis(20)).peerTtl(Duration.ofSeconds(45))
        .announceDelay(NEVER).clock(now::get).listener(events::add).build()) {
      p.start(Map.of());
      from(X, presence(Map.of("type", "snapshot", "state", Map.of("name", "x"))));
      from(Y, presence(Map.of("type", "snapshot", "state", Map.of("name", "y"))));
      now.set(now.get().plusSeconds(30));
      from(Y, presence(Map.of("type", "heartbeat")));
      now.set(now.get().plusSeconds(16)); // x silent 46 s, y 16 s
      Presence.Event e;
      do {
        e = events.poll(20, TimeUnit.SECONDS);
      } while (e != null && !(e instanceof Presence.Event.Pruned));
      assertEquals(new Presence.Event.Pruned(List.of(X)), e);
      assertEquals(java.util.Set.of(Y), p.peerStates().keySet());
    }
  }

  @Test
  void aValueThatIsNotAPlainTreeIsRefusedAndChangesNothing() {
    try (Presence p = Presence.builder(handle).heartbeat(NEVER).build()) {
      assertThrows(IllegalArgumentException.class, () -> p.start(Map.of("thread", new Object())));
      assertFalse(p.running());
      assertEquals(List.of(), net.sent);
      p.start(Map.of("ok", true));
      assertThrows(IllegalArgumentException.class, () -> p.broadcast("thread", new Object()));
      assertEquals(Map.of("ok", true), p.localState());
      assertTrue(p.running());
    }
  }

  private void awaitSent(PeerId peer, List<Object> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (sentTo(peer).size() < expected.size()) { // each send releases a permit
      if (!net.sends.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        break;
      }
    }
    assertEquals(expected, sentTo(peer));
  }
}
