package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.spi.StorageSnapshot;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a {@link SqliteStorageAdapter} file as it was at one instant, while other
 * connections and processes (a running {@code loam serve}) keep writing to it: for an online
 * backup.
 *
 * <p>Implementation notes: one connection of its own, opened without the create flag and in
 * {@code query_only} mode, holding one read transaction from {@link #open} to {@link #close}; the
 * reads are {@link SqliteStorageAdapter}'s own, on that connection. In WAL mode (which
 * {@link SqliteStorageAdapter} always sets) a reader sees the database as of its transaction's
 * first read, and neither waits for writers nor makes them wait; the one cost is that checkpoints
 * cannot reset the write-ahead log while the snapshot is open, so the {@code -wal} file grows by
 * what is written meanwhile (SQLite reclaims it at the first checkpoint after the snapshot
 * closes). See https://www.sqlite.org/wal.html ("Concurrency").
 *
 * <p>Every read sees the same instant. Writes throw {@link UnsupportedOperationException}.
 * Thread-safe: the connection is used under the adapter's lock.
 */
public final class SqliteSnapshot implements StorageSnapshot {
  private final SqliteStorageAdapter reads;

  private SqliteSnapshot(SqliteStorageAdapter reads) {
    this.reads = reads;
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
      c.setAutoCommit(false); // closing the connection ends the transaction
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM chunks")) {
        rs.next(); // the first read fixes the transaction's view of the database
      }
      return new SqliteSnapshot(new SqliteStorageAdapter(file, c));
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StorageException("cannot open a snapshot of the SQLite storage " + file + ": " + e.getMessage(), e);
    }
  }

  /** The database file this snapshot reads. */
  public Path file() {
    return reads.file();
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    return reads.load(key);
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    return reads.loadRange(prefix);
  }

  /** Ends the read transaction and closes the connection; idempotent. */
  @Override
  public void close() {
    reads.close();
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
