package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.spi.StorageSnapshot;
import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a {@link PostgresStorageAdapter} table as it was at one instant, while a
 * running {@code loam serve} keeps writing it: for an online backup.
 *
 * <p>Implementation notes: one connection of its own (no pool, no advisory lock, so it coexists
 * with the server that holds {@link PostgresStorageAdapter#LOCK_ID}), in one
 * {@code REPEATABLE READ READ ONLY} transaction from {@link #open} to {@link #close}. PostgreSQL
 * takes the transaction's snapshot at its first query and every later query sees exactly that
 * snapshot; readers take no locks that writers wait for (MVCC). The one cost of a long snapshot is
 * that vacuum keeps the row versions it may still see until it ends. See
 * https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ.
 *
 * <p>Every read sees the same instant. Writes throw {@link UnsupportedOperationException}.
 * Thread-safe: the connection is used by one call at a time (the methods are synchronized).
 */
public final class PostgresSnapshot implements StorageSnapshot {
  private final Connection connection;
  private final String table;
  private final String where;
  private boolean closed; // guarded by this

  private PostgresSnapshot(Connection connection, String table, String where) {
    this.connection = connection;
    this.table = table;
    this.where = where;
  }

  /**
   * Connects to {@code url} (a JDBC URL, as {@link PostgresStorageAdapter.Builder#url}) and starts
   * the snapshot of the table {@code loam_chunks}. Blocks while it connects.
   *
   * @throws StorageException if it cannot connect, or the database holds no Loam table
   */
  public static PostgresSnapshot open(String url) {
    return open(url, "loam_chunks");
  }

  /** As {@link #open(String)}, of the table {@code table} (a plain SQL identifier). */
  public static PostgresSnapshot open(String url, String table) {
    PostgresStorageAdapter.builder().table(table); // validates the identifier
    String shown = PostgresStorageAdapter.redact(url);
    Connection c = null;
    try {
      c = DriverManager.getConnection(url);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new StorageException("the PostgreSQL database at " + shown + " holds no Loam storage (no table " + table + ")");
        }
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next(); // the snapshot is taken by the transaction's first query; this one reads the table
      }
      return new PostgresSnapshot(c, table, shown);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StorageException("could not open a snapshot of the PostgreSQL storage at " + shown + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  @Override
  public synchronized Optional<Bytes> load(StorageKey key) {
    requireOpen();
    try (PreparedStatement st = connection.prepareStatement("SELECT data FROM " + table + " WHERE key = ?")) {
      st.setBytes(1, PostgresStorageAdapter.encode(key));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(Bytes.wrap(rs.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("load " + key, e);
    }
  }

  @Override
  public synchronized List<Chunk> loadRange(StorageKey prefix) {
    requireOpen();
    String sql = prefix.isEmpty() ? "SELECT key, data FROM " + table
        : "SELECT key, data FROM " + table + " WHERE key = ? OR (key >= ? AND key < ?)";
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      PostgresStorageAdapter.bindRange(st, prefix);
      List<Chunk> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Chunk(PostgresStorageAdapter.decode(rs.getBytes(1)), Bytes.wrap(rs.getBytes(2))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("loadRange " + prefix, e);
    }
  }

  /** Ends the transaction and closes the connection; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.rollback();
      connection.close();
    } catch (SQLException e) {
      closeQuietly(connection);
      throw failed("closing", e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the snapshot of " + where + " is closed");
    }
  }

  private StorageException failed(String what, SQLException e) {
    return new StorageException(what + " failed in the snapshot of " + where + ": " + e.getMessage(), e);
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }
}
