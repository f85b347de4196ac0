package dev.loam.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** The embedded PostgreSQL of loam-server's tests (binaries from Maven Central), one database per use. */
final class EmbeddedPostgresSupport {
  private static final AtomicInteger databases = new AtomicInteger();

  private EmbeddedPostgresSupport() {}

  static EmbeddedPostgres start() throws Exception {
    return EmbeddedPostgres.builder().start();
  }

  /** A new empty database; its JDBC URL (with user and password). */
  static String newDatabase(EmbeddedPostgres pg) throws Exception {
    String name = "loam_backup_" + databases.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }
}
