package dev.loam.server;

import java.time.Duration;

/**
 * What one connection may send: the largest message, and a rate in messages and bytes per second
 * (a token bucket holding one second's worth). A connection over its rate is slowed down (the server
 * stops reading from it until the bucket refills), not dropped; a message over the size limit
 * closes the connection with an {@code error} message. Immutable.
 */
public final class ServerLimits {
  /** 64 MiB messages, 1,000 messages and 256 MiB per second per connection, pings every 5 s. */
  public static final ServerLimits DEFAULT = builder().build();

  private final int maxMessageBytes;
  private final double messagesPerSecond;
  private final double bytesPerSecond;
  private final Duration pingInterval;

  private ServerLimits(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.messagesPerSecond = b.messagesPerSecond;
    this.bytesPerSecond = b.bytesPerSecond;
    this.pingInterval = b.pingInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().maxMessageBytes(maxMessageBytes).messagesPerSecond(messagesPerSecond)
        .bytesPerSecond(bytesPerSecond).pingInterval(pingInterval);
  }

  /** The largest message (one WebSocket message, all its frames) a peer may send. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public double messagesPerSecond() {
    return messagesPerSecond;
  }

  public double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** How often the server pings; a socket that has not answered the previous ping is terminated. */
  public Duration pingInterval() {
    return pingInterval;
  }

  @Override
  public String toString() {
    return "ServerLimits{maxMessageBytes=" + maxMessageBytes + ", messagesPerSecond=" + messagesPerSecond
        + ", bytesPerSecond=" + bytesPerSecond + ", pingInterval=" + pingInterval + "}";
  }

  public static final class Builder {
    private int maxMessageBytes = 64 << 20;
    private double messagesPerSecond = 1_000;
    private double bytesPerSecond = 256 << 20;
    private Duration pingInterval = Duration.ofSeconds(5);

    private Builder() {}

    public Builder maxMessageBytes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxMessageBytes must be positive: " + n);
      }
      this.maxMessageBytes = n;
      return this;
    }

    public Builder messagesPerSecond(double n) {
      if (!(n > 0)) {
        throw new IllegalArgumentException("messagesPerSecond must be positive: " + n);
      }
      this.messagesPerSecond = n;
      return this;
    }

    public Builder bytesPerSecond(double n) {
      if (!(n > 0)) {
        throw new IllegalArgumentException("bytesPerSecond must be positive: " + n);
      }
      this.bytesPerSecond = n;
      return this;
    }

    public Builder pingInterval(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("pingInterval must be positive: " + d);
      }
      this.pingInterval = d;
      return this;
    }

    public ServerLimits build() {
      return new ServerLimits(this);
    }
  }
}
