package dev.loam.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NetworkAdapter} keeps, as JUnit tests: extend this class and make
 * {@link #link()} return two adapters that reach each other once both are connected (two ends of
 * an in-process pair; a server adapter and a client adapter pointed at it…).
 *
 * <ul>
 *   <li>peers appear after both connect, with the metadata each announced;</li>
 *   <li>messages flow both ways, in order per peer, through their CBOR frames;</li>
 *   <li>a message for a peer the adapter does not reach is dropped, not thrown;</li>
 *   <li>closing one end makes the other see it disconnect; close is idempotent, and sending after
 *       it is a quiet no-op.</li>
 * </ul>
 */
// "try": a Link may close a real transport (a Jetty server's stop() throws Exception)
@SuppressWarnings("try")
public abstract class NetworkAdapterContract {
  /** For subclasses, one per adapter under test. */
  protected NetworkAdapterContract() {}

  /** Two adapters that reach each other; closing the link releases whatever else it holds. */
  public interface Link extends AutoCloseable {
    /** The adapter the tests connect first. */
    NetworkAdapter first();

    /** The adapter at the other end. */
    NetworkAdapter second();

    @Override
    default void close() throws Exception {}
  }

  /** A fresh link for one test. */
  protected abstract Link link() throws Exception;

  /** How long to wait for something that should happen. */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /** What a listener heard, in order. */
  public sealed interface Event {
    /** {@code peerCandidate}: {@code peer} connected and said {@code metadata} about itself. */
    record Candidate(PeerId peer, PeerMetadata metadata) implements Event {}

    /** {@code peerDisconnected}: the connection to {@code peer} ended. */
    record Disconnected(PeerId peer) implements Event {}

    /** {@code message}: {@code message} arrived. */
    record Message(RepoMessage message) implements Event {}
  }

  /** A listener that records events for a test to await. Thread-safe. */
  public static final class Recorder implements NetworkAdapter.Listener {
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** A recorder that has heard nothing yet. */
    public Recorder() {}

    @Override public void peerCandidate(PeerId peer, PeerMetadata metadata) { events.add(new Event.Candidate(peer, metadata)); }

    @Override public void peerDisconnected(PeerId peer) { events.add(new Event.Disconnected(peer)); }

    @Override public void message(RepoMessage message) { events.add(new Event.Message(message)); }

    /** The next event, or empty after {@code wait}. */
    public Optional<Event> poll(Duration wait) throws InterruptedException {
      return Optional.ofNullable(events.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The next event, which must be a {@code type}; fails the test if none comes within {@code wait}. */
    public <T extends Event> T next(Class<T> type, Duration wait) throws InterruptedException {
      Event e = poll(wait).orElseGet(() -> fail("no " + type.getSimpleName() + " within " + wait));
      if (!type.isInstance(e)) {
        fail("expected " + type.getSimpleName() + " but got " + e);
      }
      return type.cast(e);
    }
  }

  private static final PeerId A = PeerId.of("contract-a");
  private static final PeerId B = PeerId.of("contract-b");
  private static final DocumentId DOC = DocumentId.parse("paDvPLpbtauLzSphGAQpT65EzH9");

  @Test
  void peersAppearOnceBothEndsConnectWithTheMetadataTheyAnnounced() throws Exception {
    try (Link link = link()) {
      Recorder ra = new Recorder();
      Recorder rb = new Recorder();
      PeerMetadata ma = PeerMetadata.persistent(StorageId.of("3b8c7f50-8f1e-4c2a-9a55-3f0e6c1d2b4a"));
      link.first().connect(A, ma, ra);
      link.second().connect(B, PeerMetadata.EPHEMERAL, rb);
      Event.Candidate seenByA = ra.next(Event.Candidate.class, patience());
      Event.Candidate seenByB = rb.next(Event.Candidate.class, patience());
      assertEquals(B, seenByA.peer());
      assertTrue(seenByA.metadata().ephemeral());
      assertEquals(A, seenByB.peer());
      assertEquals(ma.storageId(), seenByB.metadata().storageId());
    }
  }

  @Test
  void messagesFlowBothWaysInOrderPerPeer() throws Exception {
    try (Link link = link()) {
      Recorder ra = new Recorder();
      Recorder rb = new Recorder();
      connect(link, ra, rb);
      int n = 300;
      for (int i = 0; i < n; i++) {
        link.first().send(sync(A, B, i));
        link.second().send(sync(B, A, i));
      }
      for (int i = 0; i < n; i++) {
        assertEquals(sync(A, B, i), rb.next(Event.Message.class, patience()).message(), "A to B, message " + i);
        assertEquals(sync(B, A, i), ra.next(Event.Message.class, patience()).message(), "B to A, message " + i);
      }
    }
  }

  @Test
  void aMessageForAPeerTheAdapterDoesNotReachIsDropped() throws Exception {
    try (Link link = link()) {
      Recorder ra = new Recorder();
      Recorder rb = new Recorder();
      connect(link, ra, rb);
      link.first().send(sync(A, PeerId.of("nobody"), 1));
      link.first().send(sync(A, B, 2));
      assertEquals(sync(A, B, 2), rb.next(Event.Message.class, patience()).message());
      assertEquals(Optional.empty(), rb.poll(Duration.ofMillis(100)));
    }
  }

  @Test
  void closingOneEndDisconnectsItAndCloseIsIdempotent() throws Exception {
    try (Link link = link()) {
      Recorder ra = new Recorder();
      Recorder rb = new Recorder();
      connect(link, ra, rb);
      link.first().close();
      assertEquals(A, rb.next(Event.Disconnected.class, patience()).peer());
      link.first().close();
      link.first().send(sync(A, B, 1));
      link.second().send(sync(B, A, 1));
      assertEquals(Optional.empty(), rb.poll(Duration.ofMillis(100)), "nothing after close");
      link.second().close();
      link.second().close();
    }
  }

  @Test
  void largeMessagesArriveWhole() throws Exception {
    try (Link link = link()) {
      Recorder ra = new Recorder();
      Recorder rb = new Recorder();
      connect(link, ra, rb);
      byte[] big = new byte[3 * 1024 * 1024];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) (i * 31);
      }
      RepoMessage m = new RepoMessage.Sync(A, B, DOC, Bytes.of(big));
      link.first().send(m);
      assertEquals(m, rb.next(Event.Message.class, patience()).message());
    }
  }

  private void connect(Link link, Recorder ra, Recorder rb) throws InterruptedException {
    link.first().connect(A, PeerMetadata.EPHEMERAL, ra);
    link.second().connect(B, PeerMetadata.EPHEMERAL, rb);
    ra.next(Event.Candidate.class, patience());
    rb.next(Event.Candidate.class, patience());
  }

  private static RepoMessage sync(PeerId from, PeerId to, int i) {
    return new RepoMessage.Sync(from, to, DOC, Bytes.of(new byte[] {0x42, (byte) i, (byte) (i >> 8)}));
  }
}
