package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.OrderedKeyEncoding;
import dev.loam.repo.spi.OwnerOnlyFiles;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

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
 * Stores chunks in one SQLite file (WAL journal): Loam's embedded default. Each write is durable
 * when its call returns. A file and folders it creates are readable by their owner only
 * ({@link OwnerOnlyFiles}).
 *
 * <p>SQLite's native code runs on platform threads only: a virtual thread's read, write or
 * {@link #atomically} body is handed to the adapter's own thread and waited for, so that it never
 * pins a carrier of the virtual-thread scheduler (a commit's fsync would hold one throughout).
 *
 * <p>Group commit: writes ({@link #save}, {@link #remove}, {@link #removeRange}) that threads make
 * at the same time share one transaction, so one commit (with {@link Durability#FULL}, one fsync)
 * makes all of them durable: a server relaying the changes of many documents is bounded by the
 * writes one transaction holds rather than by the disk's fsync rate. A lone write commits at once;
 * writes made while a commit is in flight queue, and the next transaction takes them all (no timer,
 * no added delay). Each call still returns only once the transaction holding its write is
 * durable. A write whose statement fails (a value over SQLite's size limit) fails alone; when a
 * transaction fails as a whole (a full disk at commit) it is rolled back, and exactly the calls
 * whose writes it held throw {@link StorageException}. Reads see committed writes only (a caller's
 * own, once its write returned). {@link #atomically} keeps the connection for its whole body: no
 * other caller's write commits inside it.
 *
 * <p>Implementation notes: one table, {@code chunks(key BLOB PRIMARY KEY, data BLOB)}. A key is
 * written in {@link OrderedKeyEncoding}, whose byte order keeps every key with a given prefix in
 * one contiguous range, which the primary-key index answers directly. The group commit (leader and
 * followers, one savepoint per write) is {@code GroupCommit}'s.
 *
 * Thread-safe: one connection, used under a lock (SQLite serialises writers anyway); writes block
 * on the commit in flight and then on their own. Other processes may open the same file; SQLite's
 * own locking keeps them consistent.
 */
public final class SqliteStorageAdapter implements StorageAdapter {
  private static final Logger log = LoggerFactory.getLogger(SqliteStorageAdapter.class);

  /** How hard SQLite pushes a commit to the disk. */
  public enum Durability {
    /** {@code synchronous=FULL}: a returned save survives power loss. The default. */
    FULL,
    /** {@code synchronous=NORMAL}: a returned save survives the process dying, perhaps not power loss. Faster. */
    NORMAL
  }

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final GroupCommit group;
  /** Used under {@link #lock}, by this adapter and its {@link #group}. */
  private final Statements statements;
  private boolean closed;

  private SqliteStorageAdapter(Path file, Durability durability) {
    this.file = file;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        OwnerOnlyFiles.createDirectories(parent);
      }
      // SQLite gives its -wal, -shm and -journal files the database file's permissions
      boolean created = OwnerOnlyFiles.createFile(file);
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(10_000);
      this.connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = connection.createStatement()) {
        st.executeUpdate("CREATE TABLE IF NOT EXISTS chunks (key BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID");
      }
      if (created) {
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
          OwnerOnlyFiles.restrict(file.resolveSibling(file.getFileName() + suffix));
        }
      }
    } catch (Exception e) {
      throw new StorageException("cannot open SQLite storage " + file, e);
    }
    this.statements = new Statements(connection);
    this.group = new GroupCommit(file, statements, lock, () -> closed);
    log.debug("opened SQLite storage {}", file);
  }

  /** An adapter over {@code connection}, already open on {@code file} (for {@link SqliteSnapshot}). */
  SqliteStorageAdapter(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
    this.statements = new Statements(connection);
    this.group = new GroupCommit(file, statements, lock, () -> closed);
  }

  /** Opens (creating if needed) the database file {@code file} with {@link Durability#FULL}. */
  public static SqliteStorageAdapter open(Path file) {
    return new SqliteStorageAdapter(file, Durability.FULL);
  }

  /** Opens (creating if needed) the database file {@code file}, syncing to disk as {@code durability} says. */
  public static SqliteStorageAdapter open(Path file, Durability durability) {
    return new SqliteStorageAdapter(file, durability);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    return locked(() -> {
      PreparedStatement ps = statements.get("SELECT data FROM chunks WHERE key = ?");
      ps.setBytes(1, encode(key));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(bytes(rs.getBytes(1))) : Optional.<Bytes>empty();
      }
    }, "load " + key);
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    InMemoryStorageAdapter.requireWholeKey(key);
    group.write("save " + key, () -> {
      PreparedStatement ps = statements.get("INSERT OR REPLACE INTO chunks (key, data) VALUES (?, ?)");
      ps.setBytes(1, encode(key));
      ps.setBytes(2, data.toByteArray());
      try {
        ps.executeUpdate();
      } finally {
        ps.clearParameters(); // the cached statement would keep the chunk's bytes until the next save
      }
    });
  }

  @Override
  public void remove(StorageKey key) {
    group.write("remove " + key, () -> {
      PreparedStatement ps = statements.get("DELETE FROM chunks WHERE key = ?");
      ps.setBytes(1, encode(key));
      ps.executeUpdate();
    });
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    return locked(() -> {
      List<Chunk> out = new ArrayList<>();
      try (ResultSet rs = range("SELECT key, data FROM chunks WHERE key >= ? AND key < ?", prefix).executeQuery()) {
        while (rs.next()) {
          out.add(new Chunk(decode(rs.getBytes(1)), bytes(rs.getBytes(2))));
        }
      }
      return out;
    }, "loadRange " + prefix);
  }

  /**
   * The keys of every chunk whose key starts with {@code prefix}, as {@link #loadRange} would give
   * them, without their data: a listing that reads the key index, not the chunks (SQLite leaves
   * the part of a chunk that does not fit its index page unread). Blocks on the file.
   */
  public List<StorageKey> keys(StorageKey prefix) {
    return locked(() -> {
      List<StorageKey> out = new ArrayList<>();
      try (ResultSet rs = range("SELECT key FROM chunks WHERE key >= ? AND key < ?", prefix).executeQuery()) {
        while (rs.next()) {
          out.add(decode(rs.getBytes(1)));
        }
      }
      return out;
    }, "keys " + prefix);
  }

  @Override
  public void removeRange(StorageKey prefix) {
    group.write("removeRange " + prefix, () -> range("DELETE FROM chunks WHERE key >= ? AND key < ?", prefix).executeUpdate());
  }

  /** The cached statement {@code sql}, its two parameters bound to the key range of {@code prefix}. */
  private PreparedStatement range(String sql, StorageKey prefix) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    ps.setBytes(1, encode(prefix));
    ps.setBytes(2, upperBound(prefix));
    return ps;
  }

  /**
   * Runs {@code body} in one SQLite transaction on this adapter's connection: its writes commit
   * together, or roll back together if it throws or the commit fails (a full disk). Other threads'
   * calls wait until it is done (their writes then commit as the next batch), so no other write
   * lands inside it. Not for use inside another {@code atomically} body of this adapter. Blocks on
   * the commit in flight, then on {@code body} and its commit.
   */
  @Override
  public boolean atomically(java.util.function.Consumer<? super StorageAdapter> body) {
    group.exclusive(() -> body.accept(this));
    return true;
  }

  /** Transactions committed since this adapter was opened: batches of writes and {@link #atomically} bodies. */
  long commits() {
    return group.commits();
  }

  /** Lets a test observe the write queue and fail commits. */
  void hook(GroupCommit.Hook hook) {
    group.hook(hook);
  }

  /** The connection, for tests that set SQLite's limits on it. */
  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        group.close();
        statements.discard();
        connection.close();
      }
    } catch (SQLException e) {
      throw new StorageException("cannot close SQLite storage " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  /** Runs a read under the lock, off the carrier of a virtual thread ({@link GroupCommit#offCarrier}). */
  private <T> T locked(SqlAction<T> action, String what) {
    return group.offCarrier(() -> {
      lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("storage " + file + " is closed");
        }
        return action.run();
      } catch (SQLException e) {
        statements.discard();
        throw new StorageException(what + " failed in " + file, e);
      } finally {
        lock.unlock();
      }
    });
  }


  private static Bytes bytes(byte @org.jspecify.annotations.Nullable [] b) {
    return b == null ? Bytes.EMPTY : Bytes.wrap(b);
  }

  static byte[] encode(StorageKey key) {
    return OrderedKeyEncoding.encode(key);
  }

  static StorageKey decode(byte[] encoded) {
    return OrderedKeyEncoding.decode(encoded);
  }

  /** The first encoding after every key that starts with {@code prefix}. */
  private static byte[] upperBound(StorageKey prefix) {
    return OrderedKeyEncoding.rangeEnd(prefix);
  }
}
