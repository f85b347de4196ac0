package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SecureStore}'s layout, numbering, duplicates and recovery on the in-memory, file-system
 * and SQLite adapters. Items here are raw bytes whose first 32 bytes are their id (the store's id
 * function is injected), so the store is tested apart from the item formats.
 */
class SecureStoreTest {
  @TempDir Path dir;

  /** The adapters a store runs on; {@code open} on the same folder sees what an earlier one stored. */
  enum Kind {
    MEMORY, FILES, SQLITE;

    StorageAdapter open(Path dir, StorageAdapter previous) {
      return switch (this) {
        case MEMORY -> previous != null ? previous : new InMemoryStorageAdapter();
        case FILES -> FileSystemStorageAdapter.open(dir.resolve("files"));
        case SQLITE -> SqliteStorageAdapter.open(dir.resolve("store.db"));
      };
    }
  }

  private static final DocumentId DOC = DocumentId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final DocumentId OTHER = DocumentId.of(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});

  private static SecureStore store(StorageAdapter storage) {
    return new SecureStore(storage, b -> Bytes.of(Arrays.copyOf(b.toByteArray(), 32)));
  }

  /** An item's bytes: id {@code n} (32 bytes) then a body. */
  private static Bytes item(int n, String body) {
    byte[] id = new byte[32];
    id[0] = (byte) (n >> 8);
    id[1] = (byte) n;
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(id, 32 + b.length);
    System.arraycopy(b, 0, all, 32, b.length);
    return Bytes.wrap(all);
  }

  private static Bytes id(Bytes item) {
    return Bytes.of(Arrays.copyOf(item.toByteArray(), 32));
  }

  private static long append(SecureStore s, DocumentId doc, Bytes item) {
    return s.append(doc, id(item), item);
  }

  private static List<Bytes> all(SecureStore s, DocumentId doc) {
    return s.afterEncoded(doc, 0, SecureStore.MAX_BATCH).stream().map(SecureStore.StoredBytes::encoded).toList();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void numbersItemsFromOneAndReadsThemBackInOrderAfterACursor(Kind kind) {
    try (StorageAdapter storage = kind.open(dir, null)) {
      SecureStore s = store(storage);
      assertEquals(0, s.lastSeq(DOC));
      assertFalse(s.contains(DOC));
      List<Bytes> items = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        items.add(item(i, "body " + i));
        assertEquals(i + 1, append(s, DOC, items.get(i)));
      }
      assertEquals(items, all(s, DOC));
      List<SecureStore.StoredBytes> tail = s.afterEncoded(DOC, 2, 2);
      assertEquals(List.of(3L, 4L), tail.stream().map(SecureStore.StoredBytes::seq).toList());
      assertEquals(items.subList(2, 4), tail.stream().map(SecureStore.StoredBytes::encoded).toList());
      assertEquals(List.of(), s.afterEncoded(DOC, 5, 10));
      assertEquals(List.of(), s.afterEncoded(DOC, 99, 10));
      assertEquals(List.of(), s.afterEncoded(OTHER, 0, 10));
      assertTrue(s.contains(DOC));
      assertFalse(s.contains(OTHER));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void keepsEachItemByteForByteUnderItsDocumentAndNothingElse(Kind kind) {
    try (StorageAdapter storage = kind.open(dir, null)) {
      SecureStore s = store(storage);
      Bytes a = item(1, "a");
      Bytes b = item(2, "b");
      append(s, DOC, a);
      append(s, OTHER, b);
      List<Chunk> chunks = storage.loadRange(StorageKey.of(SecureStore.ROOT));
      Set<StorageKey> keys = new HashSet<>(chunks.stream().map(Chunk::key).toList());
      assertEquals(Set.of(
          StorageKey.of("loam-secure", DOC.toString(), "seq", "0000000000000001"),
          StorageKey.of("loam-secure", DOC.toString(), "id", id(a).hex()),
          StorageKey.of("loam-secure", OTHER.toString(), "seq", "0000000000000001"),
          StorageKey.of("loam-secure", OTHER.toString(), "id", id(b).hex())), keys);
      assertEquals(Optional.of(a), storage.load(StorageKey.of("loam-secure", DOC.toString(), "seq", "0000000000000001")));
      assertEquals(Set.of(DOC, OTHER), s.documents());
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aDuplicateKeepsItsNumberAndTheSameIdWithOtherBytesIsRefusedWithNothingWritten(Kind kind) {
    try (StorageAdapter storage = kind.open(dir, null)) {
      SecureStore s = store(storage);
      Bytes a = item(1, "original");
      append(s, DOC, a);
      append(s, DOC, item(2, "next"));
      assertEquals(1, append(s, DOC, a));
      assertEquals(2, s.lastSeq(DOC));
      Bytes forged = item(1, "other bytes");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> append(s, DOC, forged));
      assertTrue(e.getMessage().contains("other bytes"), e.getMessage());
      assertEquals(2, s.lastSeq(DOC));
      assertEquals(List.of(a, item(2, "next")), all(s, DOC));
    }
  }

  static Stream<Object[]> reopenCases() {
    List<Object[]> cases = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (int n : new int[] {1, 2, 3, 7, 8, 9, 33}) {
        cases.add(new Object[] {k, n});
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("reopenCases")
  void aStoreOpenedLaterFindsTheLastNumberAndContinuesAfterIt(Kind kind, int n) {
    StorageAdapter first = kind.open(dir, null);
    List<Bytes> items = new ArrayList<>();
    SecureStore s = store(first);
    for (int i = 0; i < n; i++) {
      items.add(item(i, "x" + i));
      append(s, DOC, items.get(i));
    }
    if (kind != Kind.MEMORY) {
      first.close();
    }
    try (StorageAdapter second = kind.open(dir, first)) {
      SecureStore again = store(second);
      assertEquals(n, again.lastSeq(DOC));
      int dup = Math.min(2, n - 1);
      assertEquals(dup + 1, append(again, DOC, items.get(dup)), "a duplicate after reopening keeps its number");
      Bytes next = item(1000, "after reopening");
      assertEquals(n + 1, append(again, DOC, next));
      items.add(next);
      assertEquals(items, all(again, DOC));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aProcessThatDiedBetweenItemAndIndexIsRepairedSoARepushIsADuplicate(Kind kind) {
    StorageAdapter real = kind.open(dir, null);
    Bytes a = item(1, "a");
    Bytes b = item(2, "b");
    // the process "dies" when it saves b's index entry: b's item is stored, its entry is not
    SecureStore s = store(new Failing(real, k -> k.get(2).equals("id") && k.get(3).equals(id(b).hex()), false));
    append(s, DOC, a);
    assertThrows(StorageException.class, () -> append(s, DOC, b));
    if (kind != Kind.MEMORY) {
      real.close();
    }
    try (StorageAdapter reopened = kind.open(dir, real)) {
      SecureStore again = store(reopened);
      assertEquals(2, again.lastSeq(DOC), "the stored item counts");
      assertEquals(2, append(again, DOC, b), "b is found, not stored twice");
      assertEquals(List.of(a, b), all(again, DOC));
      assertThrows(IllegalArgumentException.class, () -> append(again, DOC, item(2, "other")));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFailedAppendLeavesItsNumberForTheNextAndAStaleIndexEntryIsIgnored(Kind kind) {
    try (StorageAdapter real = kind.open(dir, null)) {
      Bytes a = item(1, "a");
      Bytes b = item(2, "b");
      Bytes c = item(3, "c");
      // b's index entry lands, then the save reports failure (an fsync error after the data landed)
      SecureStore s = store(new Failing(real, k -> k.get(2).equals("id") && k.get(3).equals(id(b).hex()), true));
      append(s, DOC, a);
      assertThrows(StorageException.class, () -> append(s, DOC, b));
      assertEquals(1, s.lastSeq(DOC), "readers never see the failed append");
      assertEquals(List.of(a), all(s, DOC));
      assertEquals(2, append(s, DOC, c), "the number is reused");
      // b's entry now names c's number: it is stale, so b is new, not a conflict
      SecureStore retry = store(real);
      assertEquals(3, append(retry, DOC, b));
      assertEquals(List.of(a, c, b), all(retry, DOC));
      assertEquals(3, append(retry, DOC, b));
    }
  }

  @Test
  void concurrentAppendsGetDistinctNumbersWithoutGaps() throws Exception {
    try (StorageAdapter storage = Kind.SQLITE.open(dir, null)) {
      SecureStore s = store(storage);
      int threads = 4;
      int each = 25;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int base = t * 1000;
          Callable<List<Long>> task = () -> {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < each; i++) {
              seqs.add(append(s, DOC, item(base + i, "t" + base + "-" + i)));
            }
            return seqs;
          };
          futures.add(pool.submit(task));
        }
        Set<Long> seen = new HashSet<>();
        for (Future<List<Long>> f : futures) {
          seen.addAll(f.get(60, TimeUnit.SECONDS));
        }
        Set<Long> expected = new HashSet<>();
        for (long i = 1; i <= threads * each; i++) {
          expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(threads * each, all(s, DOC).size());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void randomSequencesReopenedAtRandomPointsKeepEveryItemOnce() {
    TestSeeds.seeds().limit(20).forEach(seed -> {
      try {
        Random random = new Random(seed);
        InMemoryStorageAdapter storage = new InMemoryStorageAdapter();
        SecureStore s = store(storage);
        List<Bytes> expected = new ArrayList<>();
        List<Bytes> offered = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
          if (random.nextInt(8) == 0) {
            s = store(storage);
          }
          Bytes b = !offered.isEmpty() && random.nextInt(3) == 0
              ? offered.get(random.nextInt(offered.size()))
              : item(offered.size(), "s" + seed + "/" + offered.size());
          if (!offered.contains(b)) {
            offered.add(b);
            expected.add(b);
          }
          long seq = append(s, DOC, b);
          assertEquals(expected.indexOf(b) + 1, seq);
        }
        assertEquals(expected, all(store(storage), DOC));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (LOAM_TEST_SEED=" + seed + ")", e);
      }
    });
  }

  @Test
  void refusesANegativeCursorAndABatchOutOfRange() {
    SecureStore s = store(new InMemoryStorageAdapter());
    assertThrows(IllegalArgumentException.class, () -> s.afterEncoded(DOC, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> s.afterEncoded(DOC, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> s.afterEncoded(DOC, 0, SecureStore.MAX_BATCH + 1));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void realItemsComeBackDecodedAndVerifiedInTheirOrder(Kind kind) {
    Scenario sc = new Scenario(11);
    Identity bob = sc.identity();
    MembershipOp.Add addBob = sc.add(sc.root, Scenario.on(sc.genesis), bob, Level.EDIT);
    Envelope byBob = sc.envelope(bob, List.of(), Scenario.on(addBob));
    try (StorageAdapter storage = kind.open(dir, null)) {
      SecureStore s = SecureStore.on(storage);
      assertThrows(IllegalArgumentException.class, () -> s.append(addBob), "the genesis comes first");
      assertFalse(s.contains(sc.doc));
      assertEquals(1, s.append(sc.genesis));
      assertEquals(2, s.append(addBob));
      assertEquals(3, s.append(byBob));
      assertEquals(2, s.append(addBob));
      assertEquals(List.of(sc.genesis, addBob, byBob), s.load(sc.doc));
      List<SecureStore.Stored> tail = s.after(sc.doc, 1, 10);
      assertEquals(List.of(new SecureStore.Stored(2, addBob), new SecureStore.Stored(3, byBob)), tail);
      assertEquals(Set.of(sc.doc), s.documents());
      Envelope sameIdOtherBytes = Envelope.sign(sc.doc, byBob.id(), bob.signingKey(), List.of(), Scenario.on(addBob),
          sc.genesis.id(), byBob.keyCommit(), Bytes.wrap(new byte[40]));
      assertThrows(IllegalArgumentException.class, () -> s.append(sameIdOtherBytes));
      assertEquals(List.of(sc.genesis, addBob, byBob), SecureStore.on(storage).load(sc.doc));
    }
  }

  /** Passes through, but a save whose key matches throws once (after writing when {@code after}). */
  private static final class Failing implements StorageAdapter {
    private final StorageAdapter inner;
    private final Predicate<StorageKey> match;
    private final boolean after;
    private boolean done;

    Failing(StorageAdapter inner, Predicate<StorageKey> match, boolean after) {
      this.inner = inner;
      this.match = match;
      this.after = after;
    }

    @Override
    public Optional<Bytes> load(StorageKey key) {
      return inner.load(key);
    }

    @Override
    public synchronized void save(StorageKey key, Bytes data) {
      if (!done && match.test(key)) {
        done = true;
        if (after) {
          inner.save(key, data);
        }
        throw new StorageException("injected failure");
      }
      inner.save(key, data);
    }

    @Override
    public void remove(StorageKey key) {
      inner.remove(key);
    }

    @Override
    public List<Chunk> loadRange(StorageKey prefix) {
      return inner.loadRange(prefix);
    }

    @Override
    public void removeRange(StorageKey prefix) {
      inner.removeRange(prefix);
    }
  }
}
