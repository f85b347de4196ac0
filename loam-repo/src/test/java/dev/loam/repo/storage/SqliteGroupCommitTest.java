package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * {@link SqliteStorageAdapter}'s group commit: concurrent writes share transactions, every call
 * returns durable, a failed transaction fails exactly the callers whose writes it held, a lone
 * write commits on its own thread at once, and {@link SqliteStorageAdapter#atomically} is never
 * interleaved with other writers. Batches are formed deterministically by holding the first
 * commit (a test hook) until the other writers have queued.
 */
class SqliteGroupCommitTest {
  private static final long DEADLINE_S = 30;

  @TempDir
  Path dir;

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Seeds: LOAM_TEST_SEED for one, else 0 to 2 (each run fsyncs; more seeds add little). */
  private static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null && !one.isBlank() ? LongStream.of(Long.parseLong(one.trim())) : LongStream.range(0, 3);
  }

  @Test
  void concurrentWritersOfDistinctKeysAreAllDurableWhenTheirCallsReturn() throws Exception {
    for (long seed : seeds().toArray()) {
      Path file = dir.resolve("concurrent-" + seed + ".db");
      int writers = 24;
      int writesEach = 15;
      List<Map<StorageKey, Bytes>> expected = new ArrayList<>();
      long commits;
      try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
        long before = s.commits();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          Map<StorageKey, Bytes> model = new HashMap<>();
          expected.add(model);
          SplittableRandom random = new SplittableRandom(seed * 1000 + w);
          int writer = w;
          all.add(threads.submit(() -> {
            go.await();
            for (int i = 0; i < writesEach; i++) {
              StorageKey key = StorageKey.of("doc" + writer, "incremental", Integer.toString(random.nextInt(8)));
              if (random.nextInt(5) == 0) {
                s.remove(key);
                model.remove(key);
              } else {
                byte[] data = new byte[random.nextInt(600)];
                random.nextBytes(data);
                s.save(key, Bytes.wrap(data));
                model.put(key, Bytes.wrap(data));
              }
              assertEquals(Optional.ofNullable(model.get(key)), s.load(key), "a caller reads its own completed write");
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : all) {
          f.get(DEADLINE_S, TimeUnit.SECONDS);
        }
        commits = s.commits() - before;
      }
      assertTrue(commits <= (long) writers * writesEach, "seed " + seed + ": " + commits + " commits");
      try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
        Map<StorageKey, Bytes> stored = new HashMap<>();
        for (Chunk c : reopened.loadRange(StorageKey.EMPTY)) {
          stored.put(c.key(), c.data());
        }
        Map<StorageKey, Bytes> model = new HashMap<>();
        expected.forEach(model::putAll);
        assertEquals(model, stored, "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + ")");
      }
    }
  }

  @Test
  void writesQueuedDuringACommitShareTheNextTransaction() throws Exception {
    int followers = 12;
    assertEquals(List.of(1, followers), writeBehindAHeldCommit(dir.resolve("batch.db"), followers),
        "the lone first write, then every follower in one transaction");
  }

  @Test
  void moreWritesThanOneTransactionTakesGoInTheNextAndEveryCallerReturnsDurable() throws Exception {
    assertEquals(List.of(1, GroupCommit.MAX_BATCH, 1), writeBehindAHeldCommit(dir.resolve("overflow.db"), GroupCommit.MAX_BATCH + 1));
  }

  /**
   * Saves write 0, holds its commit until writes 1 to {@code followers} have queued behind it, lets
   * it go, checks that every call returned and that each transaction counted a commit, reopens
   * {@code file} to check every write is there, and returns the writes committed per transaction.
   */
  private List<Integer> writeBehindAHeldCommit(Path file, int followers) throws Exception {
    HeldFirstCommit held = new HeldFirstCommit(followers, -1);
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.hook(held);
      long before = s.commits();
      Future<?> leader = threads.submit(() -> s.save(key(0), value(0)));
      await(held.leaderCommitting);
      List<Future<?>> queued = startFollowers(s, held, followers);
      leader.get(DEADLINE_S, TimeUnit.SECONDS);
      for (Future<?> f : queued) {
        f.get(DEADLINE_S, TimeUnit.SECONDS);
      }
      assertEquals(held.batchSizes().size(), s.commits() - before);
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      for (int i = 0; i <= followers; i++) {
        assertEquals(Optional.of(value(i)), reopened.load(key(i)), "write " + i);
      }
    }
    return held.batchSizes();
  }

  @Test
  void aCommitThatFailsFailsExactlyTheCallersWhoseWritesItHeld() throws Exception {
    Path file = dir.resolve("fail.db");
    int followers = 8;
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      HeldFirstCommit held = new HeldFirstCommit(followers, 2); // the second commit fails, as a full disk would
      s.hook(held);
      Future<?> leader = threads.submit(() -> s.save(key(0), value(0)));
      await(held.leaderCommitting);
      List<Future<?>> queued = startFollowers(s, held, followers);
      leader.get(DEADLINE_S, TimeUnit.SECONDS);
      for (int i = 0; i < followers; i++) {
        ExecutionException e = assertThrows(ExecutionException.class, queued.get(i)::get);
        StorageException failure = assertInstanceOf(StorageException.class, e.getCause());
        assertTrue(failure.getMessage().startsWith("save " + key(i + 1) + " failed in "), failure.getMessage());
        assertEquals("disk full (simulated)", failure.getCause().getMessage());
      }
      assertEquals(Optional.empty(), s.load(key(1)), "rolled back");
      s.save(key(100), value(100)); // a later transaction works
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.of(value(0)), reopened.load(key(0)));
      for (int i = 1; i <= followers; i++) {
        assertEquals(Optional.empty(), reopened.load(key(i)), "write " + i + " was in the failed batch");
      }
      assertEquals(Optional.of(value(100)), reopened.load(key(100)));
    }
  }

  @Test
  void aWriteWhoseStatementFailsFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    Path file = dir.resolve("toobig.db");
    int followers = 6;
    int tooBig = 3; // the follower whose value exceeds SQLite's length limit
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.connection().unwrap(SQLiteConnection.class).setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, 10_000);
      HeldFirstCommit held = new HeldFirstCommit(followers, -1);
      s.hook(held);
      long before = s.commits();
      Future<?> leader = threads.submit(() -> s.save(key(0), value(0)));
      await(held.leaderCommitting);
      List<Future<?>> queued = startFollowers(s, held, followers, n -> n == tooBig ? Bytes.wrap(new byte[20_000]) : value(n));
      leader.get(DEADLINE_S, TimeUnit.SECONDS);
      for (int i = 1; i <= followers; i++) {
        if (i == tooBig) {
          ExecutionException e = assertThrows(ExecutionException.class, queued.get(i - 1)::get);
          assertInstanceOf(StorageException.class, e.getCause());
          assertInstanceOf(SQLException.class, e.getCause().getCause());
        } else {
          queued.get(i - 1).get(DEADLINE_S, TimeUnit.SECONDS);
        }
      }
      assertEquals(2, s.commits() - before);
      assertEquals(List.of(1, followers - 1), held.batchSizes(), "the failed write is not among those committed");
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      for (int i = 0; i <= followers; i++) {
        assertEquals(i == tooBig ? Optional.empty() : Optional.of(value(i)), reopened.load(key(i)), "write " + i);
      }
    }
  }

  /**
   * A real full database (SQLite's {@code max_page_count}, which fails a write with
   * {@code SQLITE_FULL} as a full disk does) inside a batch: that write's caller fails; the others
   * of its batch either all commit or all fail, as the file then shows; and once there is room
   * again the next write commits.
   */
  @Test
  void aWriteThatFillsTheDatabaseFailsAndLeavesItsBatchConsistent() throws Exception {
    Path file = dir.resolve("full.db");
    int followers = 6;
    int huge = 2;
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.save(StorageKey.of("first"), value(-1));
      try (java.sql.Statement st = s.connection().createStatement()) {
        st.execute("PRAGMA max_page_count = " + (pageCount(st) + 4));
      }
      HeldFirstCommit held = new HeldFirstCommit(followers, -1);
      s.hook(held);
      Future<?> leader = threads.submit(() -> s.save(key(0), value(0)));
      await(held.leaderCommitting);
      List<Future<?>> queued = startFollowers(s, held, followers, n -> n == huge ? Bytes.wrap(new byte[400_000]) : value(n));
      leader.get(DEADLINE_S, TimeUnit.SECONDS);
      ExecutionException full = assertThrows(ExecutionException.class, queued.get(huge - 1)::get);
      assertInstanceOf(StorageException.class, full.getCause());
      List<Boolean> committed = new ArrayList<>();
      for (int i = 1; i <= followers; i++) {
        if (i != huge) {
          try {
            queued.get(i - 1).get(DEADLINE_S, TimeUnit.SECONDS);
            committed.add(true);
          } catch (ExecutionException e) {
            assertInstanceOf(StorageException.class, e.getCause());
            committed.add(false);
          }
        }
      }
      assertEquals(1, committed.stream().distinct().count(), "the rest of the batch commits or fails as one: " + committed);
      try (java.sql.Statement st = s.connection().createStatement()) {
        st.execute("PRAGMA max_page_count = 1000000");
      }
      s.save(key(100), value(100));
      boolean rest = committed.get(0);
      System.out.println("SQLITE_FULL in a batch: the rest of the batch " + (rest ? "committed" : "failed with it"));
      try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
        assertEquals(Optional.of(value(0)), reopened.load(key(0)));
        assertEquals(Optional.empty(), reopened.load(key(huge)));
        for (int i = 1; i <= followers; i++) {
          if (i != huge) {
            assertEquals(rest ? Optional.of(value(i)) : Optional.empty(), reopened.load(key(i)), "write " + i);
          }
        }
        assertEquals(Optional.of(value(100)), reopened.load(key(100)));
      }
    }
  }

  private static long pageCount(java.sql.Statement st) throws SQLException {
    try (java.sql.ResultSet rs = st.executeQuery("PRAGMA page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aLoneWriteCommitsAtOnceOnItsOwnThread() {
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(dir.resolve("lone.db"))) {
      List<String> commits = new ArrayList<>();
      s.hook(new GroupCommit.Hook() {
        @Override
        public void beforeCommit(int writes) {
          commits.add(Thread.currentThread().getName() + ":" + writes);
        }
      });
      String me = Thread.currentThread().getName();
      long before = s.commits();
      for (int i = 0; i < 5; i++) {
        s.save(key(i), value(i));
        assertEquals(i + 1, s.commits() - before, "committed before save returned");
      }
      s.remove(key(0));
      assertEquals(List.of(me + ":1", me + ":1", me + ":1", me + ":1", me + ":1", me + ":1"), commits,
          "each write committed by its caller, alone, with no other thread or timer involved");
    }
  }

  @Test
  void aVirtualThreadsCallsRunOnAPlatformThreadAndItsWritesReturnDurable() throws Exception {
    Path file = dir.resolve("virtual.db");
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      List<Boolean> committedOnVirtual = new java.util.concurrent.CopyOnWriteArrayList<>();
      s.hook(new GroupCommit.Hook() {
        @Override
        public void beforeCommit(int writes) {
          committedOnVirtual.add(Thread.currentThread().isVirtual());
        }
      });
      Future<?> write = threads.submit(() -> {
        assertTrue(Thread.currentThread().isVirtual());
        long before = s.commits();
        s.save(key(1), value(1));
        assertEquals(1, s.commits() - before, "committed before save returned");
        s.remove(key(1));
        s.save(key(2), value(2));
        s.atomically(t -> {
          committedOnVirtual.add(Thread.currentThread().isVirtual()); // the body too
          t.save(key(3), value(3));
          assertEquals(Optional.of(value(3)), t.load(key(3)), "the body reads its own write");
        });
        assertEquals(Optional.of(value(2)), s.load(key(2)));
      });
      write.get(DEADLINE_S, TimeUnit.SECONDS);
      assertEquals(List.of(false, false, false, false, false), committedOnVirtual,
          "SQLite's native code ran on a platform thread: three batches, an atomically body and its commit");
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.empty(), reopened.load(key(1)));
      assertEquals(Optional.of(value(2)), reopened.load(key(2)));
      assertEquals(Optional.of(value(3)), reopened.load(key(3)));
    }
  }

  @Test
  void noWriteOfAnotherThreadCommitsInsideAnAtomicallyBody() throws Exception {
    Path file = dir.resolve("atomically.db");
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      CountDownLatch otherQueued = new CountDownLatch(1);
      s.hook(new GroupCommit.Hook() {
        @Override
        public void queued(int waiting) {
          otherQueued.countDown();
        }
      });
      Future<?>[] other = new Future<?>[1];
      assertThrows(IllegalStateException.class, () -> s.atomically(t -> {
        t.save(key(1), value(1));
        other[0] = threads.submit(() -> s.save(key(2), value(2)));
        await(otherQueued);
        assertFalse(other[0].isDone(), "the other writer waits for the body");
        throw new IllegalStateException("the body fails");
      }));
      other[0].get(DEADLINE_S, TimeUnit.SECONDS);
      assertEquals(Optional.empty(), s.load(key(1)), "the body's write is rolled back");
      assertEquals(Optional.of(value(2)), s.load(key(2)), "the other write committed in its own transaction");
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.empty(), reopened.load(key(1)));
      assertEquals(Optional.of(value(2)), reopened.load(key(2)));
    }
  }

  @Test
  void aWriteQueuedWhileTheAdapterClosesCommitsOrFailsAsAfterClose() throws Exception {
    Path file = dir.resolve("closing.db");
    SqliteStorageAdapter s = SqliteStorageAdapter.open(file);
    HeldFirstCommit held = new HeldFirstCommit(1, -1);
    s.hook(held);
    Future<?> leader = threads.submit(() -> s.save(key(0), value(0)));
    await(held.leaderCommitting);
    Future<?> follower = threads.submit(() -> s.save(key(1), value(1)));
    await(held.allQueued);
    Future<?> closing = threads.submit(s::close); // waits for the commit in flight
    held.release.countDown();
    leader.get(DEADLINE_S, TimeUnit.SECONDS);
    closing.get(DEADLINE_S, TimeUnit.SECONDS);
    boolean committed;
    try {
      follower.get(DEADLINE_S, TimeUnit.SECONDS);
      committed = true; // its batch took the connection before the close did
    } catch (ExecutionException e) {
      assertInstanceOf(IllegalStateException.class, e.getCause());
      committed = false;
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.of(value(0)), reopened.load(key(0)));
      assertEquals(committed ? Optional.of(value(1)) : Optional.empty(), reopened.load(key(1)));
    }
  }

  /** Starts the writes 1 to {@code followers} behind the held first commit, and lets it go once they all queued. */
  private List<Future<?>> startFollowers(SqliteStorageAdapter s, HeldFirstCommit held, int followers) {
    return startFollowers(s, held, followers, SqliteGroupCommitTest::value);
  }

  /** As {@link #startFollowers(SqliteStorageAdapter, HeldFirstCommit, int)}, follower {@code n} saving {@code data(n)}. */
  private List<Future<?>> startFollowers(SqliteStorageAdapter s, HeldFirstCommit held, int followers, IntFunction<Bytes> data) {
    List<Future<?>> queued = new ArrayList<>();
    for (int i = 1; i <= followers; i++) {
      int n = i;
      queued.add(threads.submit(() -> s.save(key(n), data.apply(n))));
    }
    await(held.allQueued);
    held.release.countDown();
    return queued;
  }

  private static StorageKey key(int i) {
    return StorageKey.of("doc" + i, "incremental", "k" + i);
  }

  private static Bytes value(int i) {
    return Bytes.wrap(("value " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(DEADLINE_S, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Holds the first commit until {@code followers} writes have queued behind it, then lets it go;
   * commit number {@code failing} (1-based; -1 for none) throws as a full disk would.
   */
  private static final class HeldFirstCommit implements GroupCommit.Hook {
    final CountDownLatch leaderCommitting = new CountDownLatch(1);
    final CountDownLatch allQueued = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final int followers;
    private final int failing;
    private final AtomicInteger commit = new AtomicInteger();
    private final List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());

    HeldFirstCommit(int followers, int failing) {
      this.followers = followers;
      this.failing = failing;
    }

    @Override
    public void queued(int waiting) {
      if (leaderCommitting.getCount() == 0 && waiting == followers) {
        allQueued.countDown();
      }
    }

    @Override
    public void beforeCommit(int writes) throws SQLException {
      int n = commit.incrementAndGet();
      sizes.add(writes);
      if (n == 1) {
        leaderCommitting.countDown();
        await(release);
      }
      if (n == failing) {
        throw new SQLException("disk full (simulated)");
      }
    }

    List<Integer> batchSizes() {
      return List.copyOf(sizes);
    }
  }
}
