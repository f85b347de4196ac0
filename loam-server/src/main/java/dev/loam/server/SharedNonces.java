package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.spi.StorageException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;

/**
 * The request nonces of every server in a cluster, in one PostgreSQL table, so that a signed
 * request replayed to another node is refused there too:
 *
 * <pre>
 * CREATE TABLE loam_nonces (nonce bytea PRIMARY KEY, forget_at bigint NOT NULL)
 * </pre>
 *
 * A claim is one {@code INSERT … ON CONFLICT DO UPDATE … WHERE forget_at <= now}: it succeeds for
 * a nonce never seen or one whose time is up, and for exactly one of several nodes claiming it at
 * once. Rows past their time are deleted now and then by the node that claims. Thread-safe.
 */
final class SharedNonces implements ReplayGuard.Shared {
  /** Claims between two sweeps of expired rows. */
  private static final int SWEEP_EVERY = 1_000;

  private final PostgresStorageAdapter db;
  private final InstantSource clock;
  private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();

  SharedNonces(PostgresStorageAdapter db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    try (Connection c = db.pooledConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE IF NOT EXISTS loam_nonces (nonce bytea PRIMARY KEY, forget_at bigint NOT NULL)");
    } catch (SQLException e) {
      throw new StorageException("could not create the shared nonce table: " + e.getMessage(), e);
    }
  }

  /** Blocks on one statement (two every {@value #SWEEP_EVERY} claims). */
  @Override
  public boolean claim(Bytes nonce, long forgetAtMillis) {
    long now = clock.millis();
    try (Connection c = db.pooledConnection()) {
      if (claims.incrementAndGet() % SWEEP_EVERY == 0) {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM loam_nonces WHERE forget_at <= ?")) {
          st.setLong(1, now);
          st.executeUpdate();
        }
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO loam_nonces (nonce, forget_at) VALUES (?, ?) "
          + "ON CONFLICT (nonce) DO UPDATE SET forget_at = EXCLUDED.forget_at WHERE loam_nonces.forget_at <= ?")) {
        st.setBytes(1, nonce.toByteArray());
        st.setLong(2, forgetAtMillis);
        st.setLong(3, now);
        return st.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new StorageException("could not check a request nonce against the cluster: " + e.getMessage(), e);
    }
  }
}
