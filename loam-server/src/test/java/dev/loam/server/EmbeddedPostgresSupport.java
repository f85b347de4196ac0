package dev.loam.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Starts the embedded PostgreSQL the tests share. */
final class EmbeddedPostgresSupport {
  private EmbeddedPostgresSupport() {}

  static EmbeddedPostgres start() throws Exception {
    return EmbeddedPostgres.builder().start();
  }
}
