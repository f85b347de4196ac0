package dev.loam.repo.spi;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;

/**
 * Carries automerge-repo messages between this repo and its peers over one transport (a WebSocket
 * client, a WebSocket server, an in-process pipe). The repo calls {@link #connect} once, then
 * {@link #send}; the adapter reports peers coming and going and the repo messages they send through
 * the {@link Listener}. Handshake messages ({@code join}, {@code peer}, {@code leave}, {@code
 * error}) stay inside the adapter.
 *
 * <p>Implementations are thread-safe: {@code send} may be called from any thread, and listener
 * callbacks may arrive on the adapter's own threads (never concurrently for one peer).
 */
public interface NetworkAdapter extends AutoCloseable {

  /** Receives what the adapter learns; called by the adapter, never by the repo. */
  interface Listener {
    /**
     * A peer is reachable through this adapter (after its handshake). Reported before any message
     * from that peer, so the repo can answer it.
     */
    void peerCandidate(PeerId peer, PeerMetadata metadata);

    /** A peer is gone (its connection closed or it was replaced). */
    void peerDisconnected(PeerId peer);

    /** A repo message ({@link RepoMessage.DocMessage} or a remote-subscription change) from a peer. */
    void message(RepoMessage message);
  }

  /**
   * Starts the adapter as {@code self} with {@code metadata}; from now on it reports to {@code
   * listener}. Called once.
   */
  void connect(PeerId self, PeerMetadata metadata, Listener listener);

  /**
   * Sends {@code message} to the peer named by its target. A message for a peer this adapter does
   * not (or no longer) reach is dropped. Never blocks on the network for long: adapters queue.
   */
  void send(RepoMessage message);

  /** Disconnects every peer and releases the transport. Idempotent. */
  @Override
  void close();
}
