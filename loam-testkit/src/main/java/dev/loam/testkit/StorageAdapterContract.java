package dev.loam.testkit;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.internal.StorageSubsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link StorageAdapter} must have. Subclass it in your test sources and
 * implement {@link #newAdapter}; JUnit runs every test against a fresh, empty adapter in its own
 * temporary folder.
 *
 * <pre>{@code
 * class MyAdapterTest extends StorageAdapterContract {
 *   @Override protected StorageAdapter newAdapter(Path folder) { return MyAdapter.open(folder); }
 * }
 * }</pre>
 *
 * Override {@link #reopen} when the adapter persists, so the suite checks that data survives
 * closing; override {@link #keysMayNest} to return false for layouts (like node-fs's) where a
 * key cannot coexist with a longer key that starts with it.
 */
public abstract class StorageAdapterContract {
  /** For subclasses, one per adapter under test. */
  protected StorageAdapterContract() {}

  /** A fresh, empty folder for each test; adapters that need files keep them here. */
  @TempDir protected Path folder;

  /** The adapter under test: {@link #newAdapter} made it before the test. */
  protected StorageAdapter adapter;

  /** A new, empty adapter keeping its data in {@code folder}. */
  protected abstract StorageAdapter newAdapter(Path folder) throws Exception;

  /** A new adapter over the data the closed one kept in {@code folder}, or empty if it keeps nothing. */
  protected Optional<StorageAdapter> reopen(Path folder) throws Exception {
    return Optional.empty();
  }

  /** Whether {@code [a, b]} and {@code [a, b, c]} may both hold values. */
  protected boolean keysMayNest() {
    return true;
  }

  @BeforeEach
  void openAdapter() throws Exception {
    adapter = newAdapter(folder);
  }

  @AfterEach
  void closeAdapter() {
    adapter.close();
  }

  private static final String DOC = "2j9knpCseyhnK8izDmLpGP5WMdZQ";
  private static final String OTHER_DOC = "2HkVqnFk8So9JxZFynSuR4CBK8u5";

  private static Bytes bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Bytes.wrap(b);
  }

  private static Map<StorageKey, Bytes> asMap(List<Chunk> chunks) {
    Map<StorageKey, Bytes> out = new HashMap<>();
    for (Chunk c : chunks) {
      assertTrue(out.put(c.key(), c.data()) == null, "a key appears once in a range: " + c.key());
    }
    return out;
  }

  @Test
  void aMissingKeyLoadsAsEmpty() {
    assertTrue(adapter.load(StorageKey.of(DOC, "snapshot", "abc")).isEmpty());
    assertTrue(adapter.loadRange(StorageKey.of(DOC)).isEmpty());
  }

  @Test
  void savedBytesLoadBackExactly() {
    byte[] every = new byte[256];
    for (int i = 0; i < 256; i++) {
      every[i] = (byte) i;
    }
    byte[] big = new byte[3 << 20];
    new Random(1).nextBytes(big);
    Map<StorageKey, Bytes> values = Map.of(
        StorageKey.of(DOC, "incremental", "a1"), Bytes.wrap(every),
        StorageKey.of(DOC, "incremental", "a2"), Bytes.wrap(big),
        StorageKey.of(DOC, "incremental", "a3"), Bytes.EMPTY,
        StorageKey.of(DOC, "incremental", "a4"), bytes(0));
    values.forEach(adapter::save);
    values.forEach((k, v) -> assertEquals(v, adapter.load(k).orElseThrow(), k.toString()));
    assertEquals(values, asMap(adapter.loadRange(StorageKey.of(DOC))));
  }

  @Test
  void saveIfAbsentStoresOnlyUnderAnEmptyKey() {
    StorageKey k = StorageKey.of("loam-secure", DOC, "seq", "0000000000000001");
    assertTrue(adapter.saveIfAbsent(k, bytes(1)));
    assertEquals(false, adapter.saveIfAbsent(k, bytes(2)), "a held key is not claimed again");
    assertEquals(bytes(1), adapter.load(k).orElseThrow(), "and keeps its first value");
    adapter.remove(k);
    assertTrue(adapter.saveIfAbsent(k, bytes(3)));
    assertEquals(bytes(3), adapter.load(k).orElseThrow());
  }

  @Test
  void savingAnExistingKeyReplacesItsValue() {
    StorageKey k = StorageKey.of(DOC, "snapshot", "h");
    adapter.save(k, bytes(1, 2, 3, 4, 5, 6));
    adapter.save(k, bytes(9));
    assertEquals(bytes(9), adapter.load(k).orElseThrow());
    assertEquals(1, adapter.loadRange(StorageKey.of(DOC)).size());
  }

  @Test
  void removeDeletesOneKeyAndToleratesMissingOnes() {
    StorageKey a = StorageKey.of(DOC, "incremental", "a");
    StorageKey b = StorageKey.of(DOC, "incremental", "b");
    adapter.save(a, bytes(1));
    adapter.save(b, bytes(2));
    adapter.remove(a);
    adapter.remove(a);
    adapter.remove(StorageKey.of(OTHER_DOC, "snapshot", "never"));
    assertTrue(adapter.load(a).isEmpty());
    assertEquals(bytes(2), adapter.load(b).orElseThrow());
  }

  @Test
  void rangesMatchWholeKeyComponents() {
    adapter.save(StorageKey.of(DOC, "snapshot", "s1"), bytes(1));
    adapter.save(StorageKey.of(DOC, "incremental", "i1"), bytes(2));
    adapter.save(StorageKey.of(DOC, "incremental", "i2"), bytes(3));
    adapter.save(StorageKey.of(DOC + "x", "incremental", "i3"), bytes(4));
    adapter.save(StorageKey.of(DOC, "incrementalx", "i4"), bytes(5));
    adapter.save(StorageKey.of(OTHER_DOC, "incremental", "i1"), bytes(6));
    assertEquals(Set.of(StorageKey.of(DOC, "incremental", "i1"), StorageKey.of(DOC, "incremental", "i2")),
        asMap(adapter.loadRange(StorageKey.of(DOC, "incremental"))).keySet());
    assertEquals(Set.of(StorageKey.of(DOC, "snapshot", "s1"), StorageKey.of(DOC, "incremental", "i1"),
        StorageKey.of(DOC, "incremental", "i2"), StorageKey.of(DOC, "incrementalx", "i4")),
        asMap(adapter.loadRange(StorageKey.of(DOC))).keySet());
    assertEquals(6, adapter.loadRange(StorageKey.EMPTY).size());
    assertEquals(bytes(3), asMap(adapter.loadRange(StorageKey.of(DOC, "incremental", "i2"))).get(StorageKey.of(DOC, "incremental", "i2")));
  }

  @Test
  void removeRangeRemovesOnlyKeysUnderThePrefix() {
    adapter.save(StorageKey.of(DOC, "snapshot", "s1"), bytes(1));
    adapter.save(StorageKey.of(DOC, "incremental", "i1"), bytes(2));
    adapter.save(StorageKey.of(DOC + "x", "incremental", "i1"), bytes(3));
    adapter.save(StorageKey.of(OTHER_DOC, "incremental", "i1"), bytes(4));
    adapter.removeRange(StorageKey.of(DOC, "incremental"));
    assertEquals(Set.of(StorageKey.of(DOC, "snapshot", "s1"), StorageKey.of(DOC + "x", "incremental", "i1"),
        StorageKey.of(OTHER_DOC, "incremental", "i1")), asMap(adapter.loadRange(StorageKey.EMPTY)).keySet());
    adapter.removeRange(StorageKey.of(DOC));
    adapter.removeRange(StorageKey.of("nothing-here", "at-all"));
    assertEquals(2, adapter.loadRange(StorageKey.EMPTY).size());
    adapter.removeRange(StorageKey.EMPTY);
    assertTrue(adapter.loadRange(StorageKey.EMPTY).isEmpty());
  }

  @Test
  void keyComponentsMayHoldAnyText() {
    List<StorageKey> keys = List.of(
        StorageKey.of("storage-adapter-id"),
        StorageKey.of("a", "short first component"),
        StorageKey.of("ab", "two"),
        StorageKey.of("päivää 😀", "grüße", "日本語"),
        StorageKey.of("with/slash", "back\\slash", "per%cent"),
        StorageKey.of("dots", ".", ".."),
        StorageKey.of("nul\0in", "the\0middle", "%2F"),
        StorageKey.of("a😀b", "😀"),
        StorageKey.of("spaces  and\ttabs", "new\nline"));
    for (int i = 0; i < keys.size(); i++) {
      adapter.save(keys.get(i), bytes(i));
    }
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(bytes(i), adapter.load(keys.get(i)).orElseThrow(), keys.get(i).toString());
    }
    assertEquals(new TreeSet<>(keys.stream().map(StorageKey::toString).toList()),
        new TreeSet<>(adapter.loadRange(StorageKey.EMPTY).stream().map(c -> c.key().toString()).toList()));
    assertEquals(Set.of(StorageKey.of("with/slash", "back\\slash", "per%cent")),
        asMap(adapter.loadRange(StorageKey.of("with/slash"))).keySet());
  }

  @Test
  void aKeyAndLongerKeysStartingWithItCoexistWhereTheLayoutAllows() {
    Assumptions.assumeTrue(keysMayNest(), "this adapter's layout cannot nest keys");
    adapter.save(StorageKey.of("ns", "k"), bytes(1));
    adapter.save(StorageKey.of("ns", "k", "deeper"), bytes(2));
    assertEquals(2, adapter.loadRange(StorageKey.of("ns", "k")).size());
    adapter.remove(StorageKey.of("ns", "k"));
    assertEquals(bytes(2), adapter.load(StorageKey.of("ns", "k", "deeper")).orElseThrow());
  }

  @Test
  void manyThreadsSavingAtOnceLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            adapter.save(StorageKey.of(DOC, "incremental", "t" + thread + "-" + i), bytes(thread, i));
            adapter.save(StorageKey.of(OTHER_DOC, "snapshot", "shared"), bytes(thread, i, thread));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<StorageKey, Bytes> all = asMap(adapter.loadRange(StorageKey.of(DOC)));
    assertEquals(threads * perThread, all.size());
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertEquals(bytes(t, i), all.get(StorageKey.of(DOC, "incremental", "t" + t + "-" + i)));
      }
    }
    Bytes shared = adapter.load(StorageKey.of(OTHER_DOC, "snapshot", "shared")).orElseThrow();
    assertEquals(3, shared.size(), "one whole value won");
    assertEquals(shared.get(0), shared.get(2));
  }

  @Test
  void readersNeverSeeAHalfWrittenValue() throws Exception {
    StorageKey k = StorageKey.of(DOC, "snapshot", "h");
    adapter.save(k, uniform(1, 1000));
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          while (!stop.get()) {
            assertUniform(adapter.load(k).orElseThrow());
            for (Chunk c : adapter.loadRange(StorageKey.of(DOC))) {
              assertUniform(c.data());
            }
          }
          return null;
        }));
      }
      for (int i = 2; i < 150; i++) {
        adapter.save(k, uniform(i, 1000 + (i * 7919) % 50_000));
      }
      stop.set(true);
      for (Future<?> f : readers) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private static Bytes uniform(int value, int length) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return Bytes.wrap(b);
  }

  private static void assertUniform(Bytes b) {
    assertTrue(b.size() >= 1000, "a whole value, not a prefix");
    for (int i = 1; i < b.size(); i++) {
      if (b.get(i) != b.get(0)) {
        throw new AssertionError("a torn value: byte " + i + " differs");
      }
    }
  }

  @Test
  void dataSurvivesClosingAndReopening() throws Exception {
    adapter.save(StorageKey.of(DOC, "incremental", "i1"), bytes(1, 2, 3));
    adapter.save(StorageKey.of("storage-adapter-id"), bytes(4));
    adapter.close();
    Optional<StorageAdapter> again = reopen(folder);
    Assumptions.assumeTrue(again.isPresent(), "this adapter keeps nothing across instances");
    adapter = again.get();
    assertEquals(bytes(1, 2, 3), adapter.load(StorageKey.of(DOC, "incremental", "i1")).orElseThrow());
    assertEquals(2, adapter.loadRange(StorageKey.EMPTY).size());
  }

  @Test
  void documentsSavedThroughTheStorageSubsystemLoadBack() {
    DocumentId id = DocumentId.random(new Random(3));
    StorageSubsystem storage = new StorageSubsystem(adapter);
    Document doc = Document.create();
    ObjId list = doc.putObject(ObjId.ROOT, "items", ObjType.LIST);
    for (int i = 0; i < 200; i++) {
      doc.insert(list, i, ScalarValue.of("item " + i));
      doc.put(ObjId.ROOT, "count", ScalarValue.of(i));
      doc.commit();
      storage.saveDoc(id, doc);
    }
    Document loaded = new StorageSubsystem(adapter).loadDoc(id).orElseThrow();
    assertEquals(doc.heads(), loaded.heads());
    assertEquals(doc.toJson(), loaded.toJson());
    assertEquals(storage.id(), new StorageSubsystem(adapter).id());
    storage.removeDoc(id);
    assertTrue(new StorageSubsystem(adapter).loadDoc(id).isEmpty());
  }
}
