package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A read-only PostgreSQL snapshot opens beside a server holding the advisory lock and sees the
 * table as of its opening while the server keeps writing.
 */
class PostgresSnapshotTest {
  private static final StorageKey A = StorageKey.of("doc", "snapshot", "a");
  private static final StorageKey B = StorageKey.of("doc", "snapshot", "b");
  private static final StorageKey OTHER = StorageKey.of("other", "incremental", "c");
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgresSupport.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aSnapshotSeesTheTableAsItWasWhenOpenedWhileTheLockHoldingWriterKeepsWriting() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    try (PostgresStorageAdapter server = PostgresStorageAdapter.builder().url(url).exclusive(true).build()) {
      server.save(A, bytes(1));
      server.save(OTHER, bytes(9));
      try (PostgresSnapshot snapshot = PostgresSnapshot.open(url)) {
        server.save(B, bytes(2)); // a compaction: the new snapshot first, then the replaced one goes
        server.remove(A);
        server.removeRange(StorageKey.of("other"));
        assertEquals(List.of(new Chunk(A, bytes(1))), snapshot.loadRange(StorageKey.of("doc")));
        assertEquals(Optional.of(bytes(9)), snapshot.load(OTHER));
        assertEquals(2, snapshot.loadRange(StorageKey.EMPTY).size());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.save(A, bytes(3)));
      }
      try (PostgresSnapshot later = PostgresSnapshot.open(url)) {
        assertEquals(List.of(new Chunk(B, bytes(2))), later.loadRange(StorageKey.EMPTY));
      }
    }
  }

  @Test
  void aDatabaseWithoutLoamStorageIsRefused() throws Exception {
    String url = PostgresStorageAdapterTest.newDatabase(postgres);
    StorageException e = assertThrows(StorageException.class, () -> PostgresSnapshot.open(url));
    assertEquals(true, e.getMessage().contains("no table loam_chunks"), e.getMessage());
  }

  private static Bytes bytes(int b) {
    return Bytes.wrap(new byte[] {(byte) b});
  }
}
