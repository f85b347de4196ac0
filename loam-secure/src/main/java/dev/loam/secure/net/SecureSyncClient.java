package dev.loam.secure.net;

import dev.loam.secure.Identity;
import java.net.URI;
import java.time.Duration;

/**
 * A device's authenticated connection to a Loam server's secure endpoint (helper 'wire' owns it):
 * challenge-response on connect, signed pulls, pushes acknowledged once durable. Thread-safe.
 */
public final class SecureSyncClient implements AutoCloseable {
  private SecureSyncClient() {}

  /** Connects to the server at {@code server} (its {@code ws://} base URL) and authenticates as {@code identity}. */
  public static SecureSyncClient connect(URI server, Identity identity, Duration timeout) { throw new UnsupportedOperationException("skeleton"); }

  /**
   * Syncs both ways: pulls every item the server has for the document, then pushes the local
   * items it lacks, and returns once the server has durably stored them.
   */
  public void sync(SyncTarget target) { throw new UnsupportedOperationException("skeleton"); }

  @Override
  public void close() {}
}
