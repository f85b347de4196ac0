package dev.loam.server;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one connection may send and how long it may stay silent: the largest message, a rate in
 * messages and bytes per second (a token bucket holding one second's worth), and the liveness
 * deadline; plus the server-wide budget of bytes held for unfinished messages. A connection over
 * its rate is slowed down (the server stops reading from it until the bucket refills), not
 * dropped; a message over the size limit closes the connection with an {@code error} message; a
 * fragment that does not fit in the server-wide budget aborts its connection; a connection asking
 * about documents the server lacks keeps at most {@link #maxMissingDocumentsPerPeer()} of them
 * waiting; a change that would take a document past {@link #maxDocumentBytes()} is refused.
 * Immutable.
 */
public final class ServerLimits {
  /**
   * 64 MiB messages, 1,000 messages and 256 MiB per second per connection, pings every 5 s, a
   * connection silent for 30 s is dropped, 256 MiB for unfinished messages across all connections,
   * 256 MiB queued for one client, changes relayed in batches of 20 ms, 100 missing documents
   * waited for per peer, documents of up to 1 GiB of changes.
   */
  public static final ServerLimits DEFAULT = builder().build();

  private final int maxMessageBytes;
  private final double messagesPerSecond;
  private final double bytesPerSecond;
  private final Duration pingInterval;
  private final Duration livenessTimeout;
  private final long maxUnfinishedBytes;
  private final Duration relayBatch;
  private final long maxQueuedBytes;
  private final int maxMissingDocumentsPerPeer;
  private final long maxDocumentBytes;

  private ServerLimits(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.messagesPerSecond = b.messagesPerSecond;
    this.bytesPerSecond = b.bytesPerSecond;
    this.pingInterval = b.pingInterval;
    this.livenessTimeout = b.livenessTimeout != null ? b.livenessTimeout : b.pingInterval.multipliedBy(6);
    if (livenessTimeout.compareTo(pingInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("livenessTimeout " + livenessTimeout + " must be at least two ping intervals ("
          + pingInterval + ")");
    }
    this.maxUnfinishedBytes = b.maxUnfinishedBytes;
    this.relayBatch = b.relayBatch;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.maxMissingDocumentsPerPeer = b.maxMissingDocumentsPerPeer;
    this.maxDocumentBytes = b.maxDocumentBytes;
  }

  /** A builder with the defaults of {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these limits. */
  public Builder newBuilder() {
    return new Builder().maxMessageBytes(maxMessageBytes).messagesPerSecond(messagesPerSecond)
        .bytesPerSecond(bytesPerSecond).pingInterval(pingInterval).livenessTimeout(livenessTimeout)
        .maxUnfinishedBytes(maxUnfinishedBytes).relayBatch(relayBatch).maxQueuedBytes(maxQueuedBytes)
        .maxMissingDocumentsPerPeer(maxMissingDocumentsPerPeer).maxDocumentBytes(maxDocumentBytes);
  }

  /** The largest message (one WebSocket message, all its frames) a peer may send. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The sustained rate of messages one connection may send. */
  public double messagesPerSecond() {
    return messagesPerSecond;
  }

  /** The sustained rate of bytes one connection may send. */
  public double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** How often the server pings each socket, so that a live client has something to answer. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /**
   * How long a socket may stay silent before the server drops it (an abortive TCP close). Any
   * frame the client sends counts (a message, a pong, a ping); time the server spends not reading
   * from the socket (handling its message, or slowing it to its rate) does not. Default six ping
   * intervals, never less than two: a client busy for a few seconds is not dropped.
   */
  public Duration livenessTimeout() {
    return livenessTimeout;
  }

  /**
   * The most bytes the server holds, across all connections, for messages that have started to
   * arrive and not finished (a message is held from its first fragment until it has been
   * handled). A fragment that does not fit aborts its connection. Messages whose size so far is
   * under 1 MiB may use the whole budget; larger ones only seven eighths, so that a crowd of huge
   * unfinished messages leaves room for the small messages of well-behaved clients.
   */
  public long maxUnfinishedBytes() {
    return maxUnfinishedBytes;
  }

  /**
   * The shortest time between two relays of a document's changes to its other peers: a change to
   * a document last relayed at least this long ago is relayed at once, those that come within the
   * window wait for its end and go out together (a burst is one message per peer and window, not
   * one per change); zero relays each at once. The answer to the sending peer is never delayed.
   */
  public Duration relayBatch() {
    return relayBatch;
  }

  /**
   * The most bytes queued for one client and not yet written to its socket: a client that stops
   * reading is disconnected (an abortive close) once what waits for it would pass this.
   */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /**
   * The most documents the server lacks that one peer may keep waiting for. A {@code request} (or
   * {@code sync}) for a document the server does not have is answered ({@code doc-unavailable}
   * when nobody has it) and, while the peer stays connected, the server sends it the document if
   * it arrives later (as automerge-repo's sync server); each such wait holds a document handle in
   * the server (some kilobytes). Past this many, the peer's oldest wait is let go: it is no longer
   * told when that document arrives and may ask again; the connection stays open, since a client
   * asking again after a reconnect would only be dropped again. A peer's waits end when it
   * disconnects. Gauge {@code loam.documents.missing} counts them.
   */
  public int maxMissingDocumentsPerPeer() {
    return maxMissingDocumentsPerPeer;
  }

  /**
   * The largest document the server holds, as the bytes of its changes (each change as it travels
   * alone, uncompressed: about 60-100 bytes for a keystroke; {@link dev.loam.sync.SyncLimits#maxDocumentBytes()}).
   * A sync message whose changes would take a document past it is refused whole (logged, not
   * stored, not acknowledged); the connection stays open.
   */
  public long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  @Override
  public String toString() {
    return "ServerLimits{maxMessageBytes=" + maxMessageBytes + ", messagesPerSecond=" + messagesPerSecond
        + ", bytesPerSecond=" + bytesPerSecond + ", pingInterval=" + pingInterval + ", livenessTimeout=" + livenessTimeout
        + ", maxUnfinishedBytes=" + maxUnfinishedBytes + ", relayBatch=" + relayBatch + ", maxQueuedBytes=" + maxQueuedBytes
        + ", maxMissingDocumentsPerPeer=" + maxMissingDocumentsPerPeer + ", maxDocumentBytes=" + maxDocumentBytes + "}";
  }

  /** Configures {@link ServerLimits}. Not thread-safe. */
  public static final class Builder {
    private int maxMessageBytes = 64 << 20;
    private double messagesPerSecond = 1_000;
    private double bytesPerSecond = 256 << 20;
    private Duration pingInterval = Duration.ofSeconds(5);
    private @Nullable Duration livenessTimeout;
    private long maxUnfinishedBytes = 256L << 20;
    private Duration relayBatch = Duration.ofMillis(20);
    private long maxQueuedBytes = 256L << 20;
    private int maxMissingDocumentsPerPeer = 100;
    private long maxDocumentBytes = 1L << 30;

    private Builder() {}

    /** The largest message a peer may send (default 64 MiB); positive. */
    public Builder maxMessageBytes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxMessageBytes must be positive: " + n);
      }
      this.maxMessageBytes = n;
      return this;
    }

    /** Messages per second per connection (default 1,000); positive. */
    public Builder messagesPerSecond(double n) {
      if (!(n > 0)) {
        throw new IllegalArgumentException("messagesPerSecond must be positive: " + n);
      }
      this.messagesPerSecond = n;
      return this;
    }

    /** Bytes per second per connection (default 256 MiB); positive. */
    public Builder bytesPerSecond(double n) {
      if (!(n > 0)) {
        throw new IllegalArgumentException("bytesPerSecond must be positive: " + n);
      }
      this.bytesPerSecond = n;
      return this;
    }

    /** How often the server pings a quiet connection (default 5 s); positive. */
    public Builder pingInterval(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("pingInterval must be positive: " + d);
      }
      this.pingInterval = d;
      return this;
    }

    /** See {@link ServerLimits#livenessTimeout()}; default six ping intervals. */
    public Builder livenessTimeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("livenessTimeout must be positive: " + d);
      }
      this.livenessTimeout = d;
      return this;
    }

    /** See {@link ServerLimits#maxUnfinishedBytes()}; default 256 MiB. */
    public Builder maxUnfinishedBytes(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxUnfinishedBytes must be positive: " + n);
      }
      this.maxUnfinishedBytes = n;
      return this;
    }

    /** See {@link ServerLimits#relayBatch()}; default 20 ms. */
    public Builder relayBatch(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("relayBatch must not be negative: " + d);
      }
      this.relayBatch = d;
      return this;
    }

    /** See {@link ServerLimits#maxQueuedBytes()}; default 256 MiB, and never less than the largest message. */
    public Builder maxQueuedBytes(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxQueuedBytes must be positive: " + n);
      }
      this.maxQueuedBytes = n;
      return this;
    }

    /** See {@link ServerLimits#maxMissingDocumentsPerPeer()}; default 100; positive. */
    public Builder maxMissingDocumentsPerPeer(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxMissingDocumentsPerPeer must be positive: " + n);
      }
      this.maxMissingDocumentsPerPeer = n;
      return this;
    }

    /** See {@link ServerLimits#maxDocumentBytes()}; default 1 GiB; positive. */
    public Builder maxDocumentBytes(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDocumentBytes must be positive: " + n);
      }
      this.maxDocumentBytes = n;
      return this;
    }

    /** @throws IllegalArgumentException if the liveness timeout is under two ping intervals */
    public ServerLimits build() {
      return new ServerLimits(this);
    }
  }
}
