package dev.loam.repo.testing;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.VirtualThreads;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One end of an in-process connection between two repos in one JVM: {@link #pair()} makes both
 * ends. Once both are connected each reports the other as a peer; messages go through their CBOR
 * frames (as over a socket) and arrive in order on the receiving end's own delivery thread.
 * {@link Pair#disconnect()} and {@link Pair#reconnect()} simulate the link going down and up.
 *
 * <p>Thread-safe; listener callbacks for one end run on that end's single delivery thread.
 */
public final class PairedNetworkAdapter implements NetworkAdapter {
  private static final Runnable STOP = () -> {};

  /** The two ends of one link. */
  public static final class Pair {
    private final PairedNetworkAdapter left = new PairedNetworkAdapter(this);
    private final PairedNetworkAdapter right = new PairedNetworkAdapter(this);
    private boolean up = true;

    public PairedNetworkAdapter left() {
      return left;
    }

    public PairedNetworkAdapter right() {
      return right;
    }

    /** Cuts the link: each end sees the other disconnect; messages are dropped until {@link #reconnect}. */
    public void disconnect() {
      synchronized (this) {
        if (!up) {
          return;
        }
        up = false;
        if (!left.live() || !right.live()) {
          return;
        }
        left.post(l -> l.peerDisconnected(right.self));
        right.post(l -> l.peerDisconnected(left.self));
      }
    }

    /** Restores the link: each end sees the other as a peer again. */
    public void reconnect() {
      synchronized (this) {
        if (up) {
          return;
        }
        up = true;
      }
      announce();
    }

    private void announce() {
      // both under the lock: neither end can send before the other has heard of it
      synchronized (this) {
        if (!up || !left.live() || !right.live()) {
          return;
        }
        left.post(l -> l.peerCandidate(right.self, right.metadata));
        right.post(l -> l.peerCandidate(left.self, left.metadata));
      }
    }

    private PairedNetworkAdapter other(PairedNetworkAdapter end) {
      return end == left ? right : left;
    }
  }

  private final Pair pair;
  private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private @Nullable PeerId self;
  private @Nullable PeerMetadata metadata;
  private @Nullable Listener listener;
  private boolean closed;

  private PairedNetworkAdapter(Pair pair) {
    this.pair = pair;
  }

  /** Two connected ends. */
  public static Pair pair() {
    return new Pair();
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    synchronized (pair) {
      if (this.listener != null) {
        throw new IllegalStateException("already connected");
      }
      this.self = self;
      this.metadata = metadata;
      this.listener = listener;
    }
    VirtualThreads.start("loam-paired-" + self, this::run);
    pair.announce();
  }

  @Override
  public void send(RepoMessage message) {
    PairedNetworkAdapter other = pair.other(this);
    synchronized (pair) {
      if (!pair.up || !live() || !other.live() || !message.target().equals(Optional.of(other.self))) {
        return;
      }
    }
    byte[] frame = message.encode();
    other.post(l -> l.message(RepoMessage.decode(frame)));
  }

  @Override
  public void close() {
    PairedNetworkAdapter other = pair.other(this);
    boolean tell;
    synchronized (pair) {
      if (closed) {
        return;
      }
      tell = live() && other.live() && pair.up;
      closed = true;
    }
    inbox.add(STOP);
    if (tell) {
      other.post(l -> l.peerDisconnected(self));
    }
  }

  private boolean live() {
    return listener != null && !closed;
  }

  private void post(java.util.function.Consumer<Listener> event) {
    Listener l;
    synchronized (pair) {
      if (!live()) {
        return;
      }
      l = listener;
    }
    inbox.add(() -> event.accept(l));
  }

  private void run() {
    try {
      while (true) {
        Runnable next = inbox.take();
        if (next == STOP) {
          return;
        }
        next.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
