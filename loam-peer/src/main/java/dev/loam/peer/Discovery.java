package dev.loam.peer;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds peers on the local network and announces this one: {@link MdnsDiscovery} (DNS-SD over
 * multicast DNS) on a LAN, {@link InMemoryDiscovery} where multicast is not wanted (tests, one
 * process). A {@link LoamPeer} starts it with what to announce and connects to the peers it finds.
 *
 * <p>Implementations are thread-safe; the listener is called on the implementation's threads,
 * possibly several at once, so it is thread-safe and quick.
 */
public interface Discovery extends AutoCloseable {

  /** What a peer announces: its peer id, its storage id if it has storage, and the port it listens on. */
  record Announcement(PeerId peerId, Optional<StorageId> storageId, int port) {
    public Announcement {
      Objects.requireNonNull(peerId);
      Objects.requireNonNull(storageId);
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
  }

  /** A peer found: what it announced and where to connect to it. */
  record Found(Announcement announcement, URI uri) {
    public Found {
      Objects.requireNonNull(announcement);
      Objects.requireNonNull(uri);
    }

    /** The found peer's id. */
    public PeerId peerId() {
      return announcement.peerId();
    }
  }

  /** Hears peers come and go. */
  interface Listener {
    /** A peer announced itself (again, if its address changed). */
    void found(Found peer);

    /** A peer withdrew its announcement or stopped answering. */
    void lost(PeerId peer);
  }

  /**
   * Announces {@code self} and starts reporting other peers (never {@code self}) to
   * {@code listener}. Called once. May block briefly while the announcement is registered.
   *
   * @throws java.io.UncheckedIOException if the network cannot be used
   */
  void start(Announcement self, Listener listener);

  /** Withdraws the announcement and stops reporting. Idempotent. */
  @Override
  void close();
}
