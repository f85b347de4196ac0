package dev.loam.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.OrderedKeyEncoding;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keeps chunks in one PostgreSQL table, through a HikariCP pool:
 *
 * <pre>
 * CREATE TABLE loam_chunks (key bytea PRIMARY KEY, data bytea NOT NULL)
 *
 * key  = component 0x00 component 0x00 ... component   (OrderedKeyEncoding without the final 0x00)
 * </pre>
 *
 * The key array is stored encoded rather than as {@code text[]} because PostgreSQL text cannot
 * hold U+0000, which storage keys may contain. The encoding keeps whole-component prefixes
 * contiguous in byte order, so a range over {@code prefix} is the primary-key interval
 * {@code key = p OR (key >= p||0x00 AND key < p||0x01)}, served by the index.
 *
 * <p>Every call is one statement in its own transaction (auto-commit), durable when it returns
 * under PostgreSQL's default {@code synchronous_commit}. Without {@link Builder#exclusive}, several
 * processes may share the database: {@link LoamServer} then runs as one node of a cluster (see
 * {@code docs/cluster.md}), and {@link #saveIfAbsent} claims a key atomically among them. With
 {@link Builder#exclusive}, the
 * adapter takes the session advisory lock {@code pg_try_advisory_lock(}{@value #LOCK_ID}{@code )}
 * on a connection of its own and holds it until {@link #close}, so any other Loam process on the
 * same database is refused with a {@link StorageLockedException}; without it, the adapter holds the
 * same lock shared, so cluster nodes run together but not beside an exclusive user (a restore).
 * PostgreSQL releases the lock if the process dies. Thread-safe.
 */
public final class PostgresStorageAdapter implements StorageAdapter {
  private static final Logger log = LoggerFactory.getLogger(PostgresStorageAdapter.class);
  /** The advisory lock key: "loam" in ASCII, as a bigint. */
  public static final long LOCK_ID = 0x6c6f616dL;

  private final HikariDataSource pool;
  private final @Nullable Connection lockConnection;
  private final String table;
  private final String url;
  private final java.util.Properties login = new java.util.Properties();
  private final boolean exclusive;

  private PostgresStorageAdapter(Builder b) {
    if (b.url == null) {
      throw new IllegalStateException("a PostgreSQL JDBC URL is required");
    }
    this.table = b.table;
    this.url = b.url;
    this.exclusive = b.exclusive;
    if (b.user != null) {
      login.setProperty("user", b.user);
    }
    if (b.password != null) {
      login.setProperty("password", b.password);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(b.url);
    if (b.user != null) {
      config.setUsername(b.user);
    }
    if (b.password != null) {
      config.setPassword(b.password);
    }
    config.setMaximumPoolSize(b.poolSize);
    config.setPoolName("loam-postgres");
    config.setAutoCommit(true);
    config.setInitializationFailTimeout(10_000);
    try {
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StorageException("could not connect to PostgreSQL at " + redact(b.url) + ": " + rootMessage(e), e);
    }
    Connection lock = null;
    try {
      java.util.Properties props = new java.util.Properties();
      if (b.user != null) {
        props.setProperty("user", b.user);
      }
      if (b.password != null) {
        props.setProperty("password", b.password);
      }
      lock = java.sql.DriverManager.getConnection(b.url, props);
      // cluster nodes hold the lock shared, an exclusive user (one server, a restore) alone
      String take = b.exclusive ? "SELECT pg_try_advisory_lock(?)" : "SELECT pg_try_advisory_lock_shared(?)";
      try (PreparedStatement st = lock.prepareStatement(take)) {
        st.setLong(1, LOCK_ID);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new StorageLockedException(b.exclusive
                ? "the PostgreSQL database at " + redact(b.url) + " is in use by a Loam server (advisory lock " + LOCK_ID
                    + " is held)"
                : "the PostgreSQL database at " + redact(b.url) + " is held exclusively by another Loam process, such as"
                    + " a restore (advisory lock " + LOCK_ID + ")");
          }
        }
      }
      try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate("CREATE TABLE IF NOT EXISTS " + table + " (key bytea PRIMARY KEY, data bytea NOT NULL)");
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(lock);
      pool.close();
      if (e instanceof StorageLockedException sle) {
        throw sle;
      }
      throw new StorageException("could not open PostgreSQL storage at " + redact(b.url) + ": " + rootMessage(e), e);
    }
    this.lockConnection = lock;
  }

  /** A builder; the connection settings are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    try (Connection c = pool.getConnection();
         PreparedStatement st = c.prepareStatement("SELECT data FROM " + table + " WHERE key = ?")) {
      st.setBytes(1, encode(key));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(Bytes.wrap(rs.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("load " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("cannot save under the empty key");
    }
    try (Connection c = pool.getConnection();
         PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (key, data) VALUES (?, ?) "
             + "ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data")) {
      st.setBytes(1, encode(key));
      st.setBytes(2, data.toByteArray());
      st.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("save " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** One {@code INSERT … ON CONFLICT DO NOTHING}: atomic among every process on the database. */
  @Override
  public boolean saveIfAbsent(StorageKey key, Bytes data) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("cannot save under the empty key");
    }
    try (Connection c = pool.getConnection();
         PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (key, data) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
      st.setBytes(1, encode(key));
      st.setBytes(2, data.toByteArray());
      return st.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StorageException("save " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** Whether this adapter holds the one-server advisory lock; without it, servers on one database form a cluster. */
  public boolean exclusive() {
    return exclusive;
  }

  /** A connection from the pool (auto-commit), for the cluster's notifications and shared state; the caller closes it. */
  Connection pooledConnection() throws SQLException {
    return pool.getConnection();
  }

  /** A new connection outside the pool, for a listener that holds it; the caller closes it. */
  Connection dedicatedConnection(String applicationName) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.putAll(login);
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("tcpKeepAlive", "true");
    return java.sql.DriverManager.getConnection(url, props);
  }

  /** The JDBC URL with any password hidden, for messages. */
  String redactedUrl() {
    return redact(url);
  }

  @Override
  public void remove(StorageKey key) {
    if (key.isEmpty()) {
      return;
    }
    try (Connection c = pool.getConnection();
         PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE key = ?")) {
      st.setBytes(1, encode(key));
      st.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("remove " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    String sql = prefix.isEmpty() ? "SELECT key, data FROM " + table
        : "SELECT key, data FROM " + table + " WHERE key = ? OR (key >= ? AND key < ?)";
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bindRange(st, prefix);
      List<Chunk> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Chunk(decode(rs.getBytes(1)), Bytes.wrap(rs.getBytes(2))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("loadRange " + prefix + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void removeRange(StorageKey prefix) {
    String sql = prefix.isEmpty() ? "DELETE FROM " + table
        : "DELETE FROM " + table + " WHERE key = ? OR (key >= ? AND key < ?)";
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bindRange(st, prefix);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("removeRange " + prefix + " failed: " + e.getMessage(), e);
    }
  }

  /** Releases the advisory lock and closes the pool. */
  @Override
  public void close() {
    closeQuietly(lockConnection);
    pool.close();
  }

  static void bindRange(PreparedStatement st, StorageKey prefix) throws SQLException {
    if (prefix.isEmpty()) {
      return;
    }
    st.setBytes(1, encode(prefix)); // the prefix itself, a whole key
    st.setBytes(2, OrderedKeyEncoding.encode(prefix)); // its longer keys: p 0x00 ...
    st.setBytes(3, OrderedKeyEncoding.rangeEnd(prefix));
  }

  /**
   * {@code key} as stored here: {@link OrderedKeyEncoding} without its final terminator, the form
   * this table has always held (kept so that existing databases read unchanged).
   */
  static byte[] encode(StorageKey key) {
    byte[] terminated = OrderedKeyEncoding.encode(key);
    return Arrays.copyOf(terminated, Math.max(0, terminated.length - 1));
  }

  static StorageKey decode(byte[] bytes) {
    return OrderedKeyEncoding.decode(bytes);
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing a connection failed", e);
    }
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** Configures a {@link PostgresStorageAdapter}. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
    private String table = "loam_chunks";
    private int poolSize = 8;
    private boolean exclusive;

    private Builder() {}

    /** A JDBC URL, {@code jdbc:postgresql://host:port/db?user=…&password=…}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The user to log in as, if the URL does not name one. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The password, if the URL does not carry one. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The table (created if missing); default {@code loam_chunks}. Must be a plain SQL identifier. */
    public Builder table(String table) {
      if (!table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("not a plain SQL identifier: " + table);
      }
      this.table = table;
      return this;
    }

    /** The most pooled database connections (default 8). */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /** Hold the advisory lock for the adapter's lifetime: one server per database. */
    public Builder exclusive(boolean exclusive) {
      this.exclusive = exclusive;
      return this;
    }

    /** Connects and creates the table if needed. */
    public PostgresStorageAdapter build() {
      return new PostgresStorageAdapter(this);
    }
  }
}
