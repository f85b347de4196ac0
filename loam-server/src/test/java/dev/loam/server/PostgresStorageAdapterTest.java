package dev.loam.server;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.testkit.StorageAdapterContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage contract against a real PostgreSQL (embedded binaries from Maven Central), one database per test. */
class PostgresStorageAdapterTest extends StorageAdapterContract {
  private static EmbeddedPostgres postgres;
  private static final AtomicInteger databases = new AtomicInteger();
  private static final Map<Path, String> urls = new ConcurrentHashMap<>();

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

  static String newDatabase(EmbeddedPostgres pg) throws Exception {
    String name = "loam_test_" + databases.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  @Override
  protected StorageAdapter newAdapter(Path folder) throws Exception {
    String url = newDatabase(postgres);
    urls.put(folder, url);
    return PostgresStorageAdapter.builder().url(url).build();
  }

  @Override
  protected Optional<StorageAdapter> reopen(Path folder) {
    return Optional.of(PostgresStorageAdapter.builder().url(urls.get(folder)).build());
  }

  @Test
  void a_second_exclusive_adapter_on_the_same_database_is_refused_until_the_first_closes() throws Exception {
    String url = newDatabase(postgres);
    PostgresStorageAdapter first = PostgresStorageAdapter.builder().url(url).exclusive(true).build();
    StorageLockedException e = assertThrows(StorageLockedException.class,
        () -> PostgresStorageAdapter.builder().url(url).exclusive(true).build());
    assertTrue(e.getMessage().contains("is in use by a Loam server"), e.getMessage());
    first.close();
    PostgresStorageAdapter.builder().url(url).exclusive(true).build().close();
  }

  @Test
  void clusterNodesShareTheDatabaseButNotWithAnExclusiveUserSuchAsARestore() throws Exception {
    String url = newDatabase(postgres);
    PostgresStorageAdapter node1 = PostgresStorageAdapter.builder().url(url).build();
    PostgresStorageAdapter node2 = PostgresStorageAdapter.builder().url(url).build(); // a second node joins
    StorageLockedException restore = assertThrows(StorageLockedException.class,
        () -> PostgresStorageAdapter.builder().url(url).exclusive(true).build());
    assertTrue(restore.getMessage().contains("is in use by a Loam server"), restore.getMessage());
    node1.close();
    node2.close();
    PostgresStorageAdapter exclusive = PostgresStorageAdapter.builder().url(url).exclusive(true).build();
    StorageLockedException node = assertThrows(StorageLockedException.class, () -> PostgresStorageAdapter.builder().url(url).build());
    assertTrue(node.getMessage().contains("is held exclusively by another Loam process"), node.getMessage());
    exclusive.close();
    PostgresStorageAdapter.builder().url(url).build().close();
  }
}
