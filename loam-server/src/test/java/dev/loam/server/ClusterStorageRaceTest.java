package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Envelope;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What several servers write to one PostgreSQL database at once: two repos (as two nodes, each
 * with its own adapter and pool) editing, saving, compacting and absorbing one document keep every
 * change; two secure stores appending to one secure document number every item once; and a
 * request nonce claimed through one node is a replay at the other.
 */
class ClusterStorageRaceTest {
  private static final int STEPS = 40;
  private static EmbeddedPostgres postgres;
  private static String url;
  /** One thread per racer (the common pool may have one thread on two cores). */
  private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  @org.junit.jupiter.api.AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgresSupport.start();
    url = PostgresStorageAdapterTest.newDatabase(postgres);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** LOAM_TEST_SEED runs that one; else a fixed set (at most 10 of loam.seeds: each seed is a few hundred statements). */
  private static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, Math.min(10, Long.getLong("loam.seeds", 10)));
  }

  private static PostgresStorageAdapter adapter() {
    return PostgresStorageAdapter.builder().url(url).poolSize(2).build();
  }

  @Test
  void twoNodesSavingAndCompactingOneDocumentAtOnceKeepEveryChange() throws Exception {
    for (long seed : seeds().toArray()) {
      try {
        race(seed);
      } catch (AssertionError | Exception e) {
        throw new AssertionError("seed " + seed + " (rerun: LOAM_TEST_SEED=" + seed
            + " ./mvnw -pl loam-server -am verify -Dtest=ClusterStorageRaceTest -Dsurefire.failIfNoSpecifiedTests=false)", e);
      }
    }
  }

  private void race(long seed) throws Exception {
    Set<ChangeHash> made = ConcurrentHashMap.newKeySet();
    DocumentId id;
    try (Repo a = Repo.builder().storage(adapter()).build(); Repo b = Repo.builder().storage(adapter()).build()) {
      DocHandle ha = a.create();
      ha.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST)).ifPresent(made::add);
      a.flush();
      id = ha.documentId();
      DocHandle hb = ClusterTest.within("b opens the document", b.find(id).whenReady());
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> steps(a, ha, new SplittableRandom(seed), "a", made, start), threads);
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> steps(b, hb, new SplittableRandom(~seed), "b", made, start), threads);
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    }
    try (Repo reader = Repo.builder().storage(adapter()).build()) {
      DocHandle h = ClusterTest.within("a fresh node loads the document", reader.find(id).whenReady());
      Set<ChangeHash> stored = new HashSet<>();
      h.read(d -> d.changes()).forEach(c -> stored.add(c.hash()));
      Set<ChangeHash> lost = new HashSet<>(made);
      lost.removeAll(stored);
      assertTrue(lost.isEmpty(), lost.size() + " of " + made.size() + " changes lost: " + lost);
    }
  }

  /** One node's part: appends, saves (a save compacts by automerge-repo's rule), absorbs the other's chunks, at random. */
  private static void steps(Repo repo, DocHandle h, SplittableRandom random, String who, Set<ChangeHash> made,
                            CyclicBarrier start) {
    try {
      start.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    for (int i = 0; i < STEPS; i++) {
      switch (random.nextInt(3)) {
        case 0 -> h.change(tx -> {
          ObjId items = ((dev.loam.Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
          tx.insert(items, tx.length(items), dev.loam.ScalarValue.of(who + " item with some text to grow the document"));
        }).ifPresent(made::add);
        case 1 -> repo.flush();
        default -> {
          repo.absorbStored(h.documentId(), dev.loam.Heads.EMPTY);
          repo.flush();
        }
      }
    }
    repo.flush();
  }

  @Test
  void twoNodesAppendingToOneSecureDocumentNumberEveryItemOnce() throws Exception {
    SecureFixture f = new SecureFixture();
    int perNode = 25;
    List<Envelope> one = new ArrayList<>();
    List<Envelope> two = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      one.add(f.envelope(f.alice, List.of(), SecureFixture.on(f.genesis), "one " + i));
      two.add(f.envelope(f.alice, List.of(), SecureFixture.on(f.genesis), "two " + i));
    }
    try (PostgresStorageAdapter da = adapter(); PostgresStorageAdapter db = adapter(); PostgresStorageAdapter dc = adapter()) {
      SecureStore a = SecureStore.shared(da);
      SecureStore b = SecureStore.shared(db);
      assertEquals(1, a.append(f.genesis));
      assertEquals(1, b.lastSeq(f.doc), "the second node sees the first's genesis");
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Void> x = CompletableFuture.runAsync(() -> appendAll(a, one, start), threads);
      CompletableFuture<Void> y = CompletableFuture.runAsync(() -> appendAll(b, two, start), threads);
      x.get(60, TimeUnit.SECONDS);
      y.get(60, TimeUnit.SECONDS);
      assertEquals(1 + 2 * perNode, a.lastSeq(f.doc));
      assertEquals(1 + 2 * perNode, b.lastSeq(f.doc));
      List<SecureStore.Stored> all = SecureStore.on(dc).after(f.doc, 0, SecureStore.MAX_BATCH);
      Set<Bytes> expected = new HashSet<>();
      expected.add(f.genesis.itemId());
      one.forEach(e -> expected.add(e.itemId()));
      two.forEach(e -> expected.add(e.itemId()));
      Set<Bytes> found = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i + 1, all.get(i).seq(), "numbers without gaps");
        found.add(all.get(i).item().itemId());
      }
      assertEquals(expected, found, "every item stored once");
      assertEquals(1 + 2 * perNode, all.size());
      // appending an item again through the other node is a duplicate, not a new number
      assertEquals(b.append(one.getFirst()), a.append(one.getFirst()));
      assertEquals(1 + 2 * perNode, b.lastSeq(f.doc));
    }
  }

  private static void appendAll(SecureStore store, List<? extends SecureItem> items, CyclicBarrier start) {
    try {
      start.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    items.forEach(store::append);
  }

  @Test
  void aNonceClaimedThroughOneNodeIsAReplayAtTheOther() throws Exception {
    SecureFixture.Clock clock = new SecureFixture.Clock();
    try (PostgresStorageAdapter da = adapter(); PostgresStorageAdapter db = adapter()) {
      ReplayGuard one = new ReplayGuard(clock, 1000, new SharedNonces(da, clock));
      ReplayGuard two = new ReplayGuard(clock, 1000, new SharedNonces(db, clock));
      Bytes nonce = SecureSocket.nonce();
      assertEquals(ReplayGuard.Verdict.FRESH, one.check(nonce, clock.millis()));
      assertEquals(ReplayGuard.Verdict.REPLAYED, two.check(nonce, clock.millis()), "the other node refuses the replay");
      assertEquals(ReplayGuard.Verdict.REPLAYED, one.check(nonce, clock.millis()));
      // raced: of two nodes checking the same nonces at once, exactly one finds each fresh
      List<Bytes> nonces = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        nonces.add(SecureSocket.nonce());
      }
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<List<ReplayGuard.Verdict>> x = CompletableFuture.supplyAsync(() -> checkAll(one, nonces, clock, start), threads);
      CompletableFuture<List<ReplayGuard.Verdict>> y = CompletableFuture.supplyAsync(() -> checkAll(two, nonces, clock, start), threads);
      List<ReplayGuard.Verdict> vx = x.get(60, TimeUnit.SECONDS);
      List<ReplayGuard.Verdict> vy = y.get(60, TimeUnit.SECONDS);
      for (int i = 0; i < nonces.size(); i++) {
        assertTrue(vx.get(i) == ReplayGuard.Verdict.FRESH ^ vy.get(i) == ReplayGuard.Verdict.FRESH,
            "nonce " + i + ": " + vx.get(i) + " and " + vy.get(i));
      }
      // once its request could no longer pass the time check, a nonce's row may be claimed again
      clock.advance(java.time.Duration.ofMinutes(3));
      assertEquals(ReplayGuard.Verdict.FRESH, new ReplayGuard(clock, 1000, new SharedNonces(db, clock))
          .check(nonce, clock.millis()));
    }
  }

  private static List<ReplayGuard.Verdict> checkAll(ReplayGuard g, List<Bytes> nonces, SecureFixture.Clock clock,
                                                    CyclicBarrier start) {
    try {
      start.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<ReplayGuard.Verdict> out = new ArrayList<>();
    for (Bytes n : nonces) {
      out.add(g.check(n, clock.millis()));
    }
    return out;
  }
}
