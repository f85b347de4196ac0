/** The Loam sync server: automerge-repo's WebSocket protocol on Jetty 12's HTTP server, PostgreSQL storage, health and metrics. */
// "requires-automatic": Micrometer's registry and HikariCP ship no module descriptor
@SuppressWarnings("requires-automatic")
module dev.loam.server {
  requires transitive dev.loam.repo;
  requires dev.loam.secure;
  requires static org.jspecify;
  requires org.slf4j;
  requires java.sql;
  // transitive: WebSocketServerAdapter gives a Jetty handler
  requires transitive org.eclipse.jetty.server;
  requires transitive micrometer.core;
  requires micrometer.registry.prometheus;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;

  exports dev.loam.server;
}
