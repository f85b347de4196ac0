package dev.loam.repo.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The statements of one SQLite connection, each prepared on first use and reused after: a write
 * of {@link SqliteStorageAdapter} runs five statements (the savepoint, its release, the write,
 * and its share of the transaction's begin and commit), and preparing each anew took 3 % of a
 * busy server's CPU (the write itself about 4 %). After a failure the cache is {@linkplain #discard discarded}, so no statement left
 * in an unknown state is reused.
 *
 * <p>Not thread-safe: used only under the adapter's connection lock.
 */
final class Statements {
  private static final Logger log = LoggerFactory.getLogger(Statements.class);
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  /** The statement for {@code sql}, its parameters to be set by the caller. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  /** Runs {@code sql}, a statement without parameters or results. */
  void execute(String sql) throws SQLException {
    get(sql).execute();
  }

  /** Closes every statement; the next {@link #get} prepares afresh. */
  void discard() {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        log.debug("closing a statement: {}", e.getMessage());
      }
    }
    prepared.clear();
  }
}
