package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SecureSyncException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secure endpoint on PostgreSQL storage: stored, kept across a restart, served to members only. */
class SecurePostgresTest {
  @Test
  void membersSyncThroughAServerOnPostgresAndItsItemsOutliveARestart() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgresSupport.start()) {
      String url = PostgresStorageAdapterTest.newDatabase(pg);
      SecureFixture f = new SecureFixture();
      Identity carol = f.identity();
      MembershipOp.Add addCarol = f.add(f.alice, SecureFixture.on(f.genesis), carol, Level.READ);
      Envelope secret = f.envelope(f.alice, List.of(), SecureFixture.on(addCarol), "on postgres");
      try (LoamServer server = LoamServer.builder().port(0).storage(PostgresStorageAdapter.builder().url(url).build())
          .build().start();
           SecureSyncClient alice = SecureSyncClient.connect(URI.create("ws://127.0.0.1:" + server.port()), f.alice,
               Duration.ofSeconds(10))) {
        alice.sync(new SecureBlindnessTest.ListTarget(f.doc, List.of(f.genesis, addCarol, secret)));
      }
      try (LoamServer server = LoamServer.builder().port(0).storage(PostgresStorageAdapter.builder().url(url).build())
          .build().start()) {
        URI uri = URI.create("ws://127.0.0.1:" + server.port());
        SecureBlindnessTest.ListTarget carols = new SecureBlindnessTest.ListTarget(f.doc, List.of());
        try (SecureSyncClient c = SecureSyncClient.connect(uri, carol, Duration.ofSeconds(10))) {
          c.sync(carols);
        }
        assertEquals(List.of(f.genesis, addCarol, secret), carols.received);
        assertEquals("on postgres", f.open((Envelope) carols.received.get(2)));
        try (SecureSyncClient m = SecureSyncClient.connect(uri, f.identity(), Duration.ofSeconds(10))) {
          SecureSyncException e = assertThrows(SecureSyncException.class,
              () -> m.sync(new SecureBlindnessTest.ListTarget(f.doc, List.of())));
          assertEquals(SecureSyncException.Problem.UNAVAILABLE, e.problem());
        }
      }
    }
  }
}
