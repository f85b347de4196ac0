package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rough measure, not a test: {@code T} virtual threads each saving {@code M} distinct keys of
 * 200 bytes to one {@link SqliteStorageAdapter} with {@code synchronous=FULL}; prints writes/s and
 * (through {@link SqliteStorageAdapter#commits}) commits/s. Off by default; run with
 * {@code ./mvnw -B -o -q -pl loam-repo -am test -Dtest=SqliteWriteThroughputBench
 * -Dsurefire.failIfNoSpecifiedTests=false -Dloam.bench.sqliteWrites=true} (optionally
 * {@code -Dloam.bench.threads=64 -Dloam.bench.writes=50}); the figures are in
 * {@code loam-repo/target/surefire-reports/*SqliteWriteThroughputBench-output.txt}.
 */
@EnabledIfSystemProperty(named = "loam.bench.sqliteWrites", matches = "true")
class SqliteWriteThroughputBench {
  @TempDir
  Path dir;

  @Test
  void concurrentSavesWithSyncFull() throws Exception {
    int[] threadCounts = {1, Integer.getInteger("loam.bench.threads", 64)};
    int perThread = Integer.getInteger("loam.bench.writes", 50);
    for (int threads : threadCounts) {
      Path file = dir.resolve("bench-" + threads + ".db");
      try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file);
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        s.save(StorageKey.of("warm-up"), Bytes.wrap(new byte[200]));
        long commitsBefore = s.commits();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          all.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < perThread; i++) {
              s.save(StorageKey.of("doc" + thread, "incremental", Integer.toString(i)), Bytes.wrap(new byte[200]));
            }
            return null;
          }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : all) {
          f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long writes = (long) threads * perThread;
        long commits = s.commits() - commitsBefore;
        assertEquals(writes, s.keys(StorageKey.EMPTY).size() - 1L);
        System.out.printf("sqlite FULL, %d thread(s) x %d saves: %.2f s, %.0f writes/s, %d commits, %.0f commits/s, %.1f writes/commit%n",
            threads, perThread, seconds, writes / seconds, commits, commits / seconds, (double) writes / commits);
      }
    }
  }
}
