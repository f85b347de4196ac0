package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.spi.StorageSnapshot;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A read-only view of a {@link SqliteStorageAdapter} file as it was at one instant, while other
 * connections and processes (a running {@code loam serve}) keep writing to it: for an online
 * backup.
 *
 * <p>Implementation notes: one connection of its own, without the create flag, in
 * {@code query_only} mode, holding one read transaction from {@link #open} to {@link #close}. In
 * WAL mode (which {@link SqliteStorageAdapter} always sets) a reader sees the database as of its
 * transaction's first read, and neither waits for writers nor makes them wait; the one cost is
 * that checkpoints cannot reset the write-ahead log while the snapshot is open, so the
 * {@code -wal} file grows by what is written meanwhile (SQLite reclaims it at the next checkpoint
 * after the snapshot closes). See https://www.sqlite.org/wal.html ("Concurrency").
 *
 * <p>Every read sees the same instant. Writes throw {@link UnsupportedOperationException}.
 * Thread-safe: the connection is used under a lock.
 */
public final class SqliteSnapshot implements StorageSnapshot {
  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private SqliteSnapshot(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens {@code file} (a database {@link SqliteStorageAdapter} wrote) and starts the read
   * transaction: later reads see the database as it is now. Blocks on the file only while SQLite
   * recovers a log a crashed writer left (its busy timeout, ten seconds).
   *
   * @throws StorageException if the file does not exist or is not such a database
   */
  public static SqliteSnapshot open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StorageException("no SQLite storage file " + file);
    }
    Connection c = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.resetOpenMode(SQLiteOpenMode.CREATE); // never make an empty database where there was none
      config.setBusyTimeout(10_000);
      c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA query_only = 1");
      }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM chunks")) {
        rs.next(); // the first read fixes the transaction's view of the database
      }
      return new SqliteSnapshot(file, c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StorageException("cannot open a snapshot of the SQLite storage " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    return locked(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT data FROM chunks WHERE key = ?")) {
        ps.setBytes(1, SqliteStorageAdapter.encode(key));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Bytes.wrap(nonNull(rs.getBytes(1)))) : Optional.<Bytes>empty();
        }
      }
    }, "load " + key);
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    return locked(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT key, data FROM chunks WHERE key >= ? AND key < ?")) {
        ps.setBytes(1, SqliteStorageAdapter.encode(prefix));
        ps.setBytes(2, dev.loam.repo.spi.OrderedKeyEncoding.rangeEnd(prefix));
        List<Chunk> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Chunk(SqliteStorageAdapter.decode(rs.getBytes(1)), Bytes.wrap(nonNull(rs.getBytes(2)))));
          }
        }
        return out;
      }
    }, "loadRange " + prefix);
  }

  /** Ends the read transaction and closes the connection; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        try {
          connection.rollback();
        } finally {
          connection.close();
        }
      }
    } catch (SQLException e) {
      throw new StorageException("cannot close the snapshot of " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private interface SqlRead<T> {
    T run() throws SQLException;
  }

  private <T> T locked(SqlRead<T> read, String what) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the snapshot of " + file + " is closed");
      }
      return read.run();
    } catch (SQLException e) {
      throw new StorageException(what + " failed in the snapshot of " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private static byte[] nonNull(byte @org.jspecify.annotations.Nullable [] b) {
    return b == null ? new byte[0] : b;
  }

  private static void closeQuietly(@org.jspecify.annotations.Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }
}
