package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The change graph: every applied change in application order (dependencies first), indexed by
 * hash and by (actor, seq), with the current heads.
 *
 * <p>Implementation notes: a change is a column position, not an object. Its hash is four longs
 * (big-endian, so comparing them unsigned orders hashes as bytes), its dependencies a slice of one
 * shared index array, its metadata a few primitive columns; the rare message, extra bytes and
 * chunk kept verbatim live in maps. A change's bytes are not kept: the engine re-encodes them from
 * the op set on demand ({@link Replica#chunk}), except for chunks that were not in canonical form,
 * which {@link #keepChunk} stores. The hash index is open addressing over {@code int} entry
 * indexes keyed by the hash's first long, filled lazily. About 70 bytes per change in all.
 */
final class History {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private int size;
  private final Paged.Longs hash = new Paged.Longs();
  private final Paged.UniformInts actor = new Paged.UniformInts();
  private final Paged.LinearInts seq = new Paged.LinearInts();
  /** Counters up to {@link OpIds#MAX_COUNTER}, kept as unsigned ints. */
  private final Paged.LinearInts startOp = new Paged.LinearInts();
  private final Paged.UniformInts opCount = new Paged.UniformInts();
  /** Seconds; no array while they stay on a line (all 0, as many apps and every trace write them). */
  private final Paged.LinearLongs time = new Paged.LinearLongs();
  /** Entry i's dependencies are {@code depPool[depStart[i] .. depStart[i + 1])}. */
  private final Paged.LinearInts depStart = new Paged.LinearInts();
  private final Paged.LinearInts depPool = new Paged.LinearInts();
  /** Whether every change's ops come after its actor's previous change's (what {@link #clockOf} may rely on). */
  private boolean opsRiseWithSeq = true;
  private final Map<Integer, String> messages = new HashMap<>();
  private final Map<Integer, byte[]> extraBytes = new HashMap<>();
  private final Map<Integer, byte[]> keptChunks = new HashMap<>();
  /** Open addressing: entry index + 1, 0 = empty; probed from the hash's first long. */
  private Paged.Ints table = table(32);
  private int tableLength = 32;
  /** Entries {@code 0 .. indexed - 1} are in {@link #table}; the rest wait for the next lookup. */
  private int indexed;
  /**
   * Per actor index: the entry index of each seq (seq 1 at position 0), and how many there are. On
   * a line, with no array, while one author's changes follow each other (a history of one author).
   */
  private Paged.LinearInts[] bySeq = new Paged.LinearInts[4];
  private int[] seqCount = new int[4];
  /** The entries no other entry depends on, sorted by hash. */
  private int[] heads = new int[0];
  private long chunkBytes;
  /** {@link #heads()} as hashes, for the heads array {@link #headHashesOf} (read on every sync message and save). */
  private List<ChangeHash> headHashes = List.of();
  private int[] headHashesOf = heads;
  private final byte[] scratch = new byte[ChangeHash.LENGTH];
  /**
   * After a load that deferred verification: computes every entry's hash (in order, through
   * {@link #setHash}) and checks the heads; run once, by the first call that needs a hash.
   */
  private Runnable hasher;
  /** The heads a deferred load's file stores, given out until the hashes exist. */
  private List<ChangeHash> storedHeads;
  private RuntimeException hashFailure;

  History() {
    depStart.set(0, 0); // entry 0's start, written so that the column's first page can stay on a line
  }

  /**
   * An independent copy, hash-complete (a deferred hashing is run first, on this history). Shares
   * only immutable values: messages, and extra and kept bytes, which nothing writes to.
   */
  History copy() {
    ensureHashes();
    History c = new History();
    c.size = size;
    c.hash.copyFrom(hash);
    c.actor.copyFrom(actor);
    c.seq.copyFrom(seq);
    c.startOp.copyFrom(startOp);
    c.opCount.copyFrom(opCount);
    c.time.copyFrom(time);
    c.depStart.copyFrom(depStart);
    c.depPool.copyFrom(depPool);
    c.messages.putAll(messages);
    c.extraBytes.putAll(extraBytes);
    c.keptChunks.putAll(keptChunks);
    c.table = new Paged.Ints();
    c.table.copyFrom(table);
    c.tableLength = tableLength;
    c.indexed = indexed;
    c.bySeq = new Paged.LinearInts[bySeq.length];
    for (int a = 0; a < bySeq.length; a++) {
      if (bySeq[a] != null) {
        c.bySeq[a] = new Paged.LinearInts();
        c.bySeq[a].copyFrom(bySeq[a]);
      }
    }
    c.seqCount = seqCount.clone();
    c.heads = heads.clone();
    c.chunkBytes = chunkBytes;
    c.opsRiseWithSeq = opsRiseWithSeq;
    return c;
  }

  int size() {
    return size;
  }

  /**
   * Makes the history hash-complete: after a load that deferred verification, the first call runs
   * the hasher; if that fails, this and every later call throws its exception.
   */
  void ensureHashes() {
    if (hashFailure != null) {
      throw hashFailure;
    }
    Runnable h = hasher;
    if (h != null) {
      // the hasher itself reads the hashes it has computed so far, and computes the heads
      hasher = null;
      storedHeads = null;
      try {
        h.run();
      } catch (RuntimeException e) {
        hashFailure = e;
        throw e;
      }
    }
  }

  /** Defers the hashes of the entries added so far to {@code h} (see {@link #ensureHashes}). */
  void deferHashes(Runnable h, List<ChangeHash> heads) {
    hasher = h;
    List<ChangeHash> sorted = new ArrayList<>(heads);
    sorted.sort(null);
    storedHeads = List.copyOf(sorted);
  }

  /** Sets the hash of an entry added without one, during the deferred hashing. */
  void setHash(int i, ChangeHash h) {
    byte[] b = scratch;
    h.copyTo(b, 0);
    setHash(i, b);
  }

  /** As above, from the hash's 32 bytes. */
  void setHash(int i, byte[] h) {
    for (int k = 0; k < 4; k++) {
      hash.set(4 * i + k, (long) LONGS.get(h, 8 * k));
    }
  }

  /** Recomputes the heads from the dependencies, once every hash exists. */
  void recomputeHeads() {
    boolean[] hasDependent = new boolean[size];
    for (int k = 0; k < depStart.get(size); k++) {
      hasDependent[depPool.get(k)] = true;
    }
    int n = 0;
    int[] h = new int[4];
    for (int i = 0; i < size; i++) {
      if (!hasDependent[i]) {
        if (n == h.length) {
          h = Arrays.copyOf(h, n * 2);
        }
        h[n++] = i;
      }
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = h[i];
    }
    Arrays.sort(boxed, this::compareHashes);
    heads = new int[n];
    for (int i = 0; i < n; i++) {
      heads[i] = boxed[i];
    }
  }

  ChangeHash hash(int i) {
    ensureHashes();
    byte[] b = new byte[ChangeHash.LENGTH];
    for (int k = 0; k < 4; k++) {
      LONGS.set(b, k * 8, hash.get(4 * i + k));
    }
    return ChangeHash.of(b);
  }

  /** The first 16 bytes of entry {@code i}'s hash, as two big-endian longs into {@code dst} at {@code at}. */
  void hashWords(int i, long[] dst, int at) {
    dst[at] = hash.get(4 * i);
    dst[at + 1] = hash.get(4 * i + 1);
  }

  /** Copies the hash of entry {@code i} into {@code dst} at {@code offset}, without allocating. */
  void copyHash(int i, byte[] dst, int offset) {
    ensureHashes();
    for (int k = 0; k < 4; k++) {
      LONGS.set(dst, offset + k * 8, hash.get(4 * i + k));
    }
  }

  int actor(int i) {
    return actor.get(i);
  }

  long seq(int i) {
    return seq.get(i);
  }

  long startOp(int i) {
    return Integer.toUnsignedLong(startOp.get(i));
  }

  int opCount(int i) {
    return opCount.get(i);
  }

  long maxOp(int i) {
    return startOp(i) + opCount.get(i) - 1;
  }

  long time(int i) {
    return time.get(i);
  }

  String message(int i) {
    return messages.isEmpty() ? null : messages.get(i);
  }

  byte[] extraBytes(int i) {
    byte[] b = extraBytes.isEmpty() ? null : extraBytes.get(i);
    return b == null ? NO_BYTES : b;
  }

  private static final byte[] NO_BYTES = new byte[0];

  int depCount(int i) {
    return depStart.get(i + 1) - depStart.get(i);
  }

  int dep(int i, int k) {
    return depPool.get(depStart.get(i) + k);
  }

  /** The chunk stored verbatim for entry {@code i} (not in canonical form), or null. */
  byte[] keptChunk(int i) {
    return keptChunks.isEmpty() ? null : keptChunks.get(i);
  }

  boolean hasKeptChunks() {
    return !keptChunks.isEmpty();
  }

  void keepChunk(int i, byte[] chunk) {
    keptChunks.put(i, chunk);
  }

  void addChunkBytes(long n) {
    chunkBytes += n;
  }

  /** The total length of the applied changes' chunks. */
  long chunkBytes() {
    return chunkBytes;
  }

  int indexOf(ChangeHash h) {
    ensureHashes();
    if (indexed < size) {
      indexPending();
    }
    byte[] b = scratch;
    h.copyTo(b, 0);
    long h0 = (long) LONGS.get(b, 0);
    long h1 = (long) LONGS.get(b, 8);
    long h2 = (long) LONGS.get(b, 16);
    long h3 = (long) LONGS.get(b, 24);
    int mask = tableLength - 1;
    for (int s = slot(h0, mask); ; s = (s + 1) & mask) {
      int e = table.get(s) - 1;
      if (e < 0) {
        return -1;
      }
      int o = 4 * e;
      if (hash.get(o) == h0 && hash.get(o + 1) == h1 && hash.get(o + 2) == h2 && hash.get(o + 3) == h3) {
        return e;
      }
    }
  }

  private static int slot(long h0, int mask) {
    // SHA-256 output is uniform: its leading bits are a good slot
    return (int) (h0 >>> 33) & mask;
  }

  boolean contains(ChangeHash hash) {
    return indexOf(hash) >= 0;
  }

  long lastSeq(int actor) {
    return actor < seqCount.length ? seqCount[actor] : 0;
  }

  /** The entry of the first change by {@code actor}, or -1. */
  int firstOf(int actor) {
    return lastSeq(actor) == 0 ? -1 : bySeq[actor].get(0);
  }

  /** The entry of the latest change by {@code actor}, or -1. */
  int lastOf(int actor) {
    long s = lastSeq(actor);
    return s == 0 ? -1 : bySeq[actor].get((int) s - 1);
  }

  List<ChangeHash> heads() {
    if (storedHeads != null && hashFailure == null) {
      return storedHeads;
    }
    ensureHashes();
    if (headHashesOf != heads) { // the heads array is replaced, never changed in place
      ChangeHash[] out = new ChangeHash[heads.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = hash(heads[i]);
      }
      headHashes = List.of(out);
      headHashesOf = heads;
    }
    return headHashes;
  }

  /** The entry indexes of the heads, sorted by hash. */
  int[] headIndexes() {
    ensureHashes();
    return heads.clone();
  }

  /** Orders entries by their hashes' bytes. */
  int compareHashes(int a, int b) {
    ensureHashes();
    for (int k = 0; k < 4; k++) {
      int c = Long.compareUnsigned(hash.get(4 * a + k), hash.get(4 * b + k));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static Paged.Ints table(int length) {
    Paged.Ints t = new Paged.Ints();
    t.ensure(length);
    return t;
  }

  private void ensure(int n) {
    hash.ensure(4 * n);
    actor.ensure(n);
    seq.ensure(n);
    startOp.ensure(n);
    opCount.ensure(n);
    time.ensure(n);
    depStart.ensure(n + 1);
  }

  /** Makes room for {@code more} changes, so that a load grows no column and rehashes nothing. */
  void reserve(int more) {
    ensure(size + more);
  }

  /**
   * Appends a change whose dependencies (entry indexes) are all present; returns its index.
   *
   * @param chunkLength the length of its chunk, for {@link #chunkBytes}
   */
  int add(ChangeHash h, int author, long seqNo, long start, int ops, long seconds, String message, int[] deps,
      byte[] extra, int chunkLength) {
    ensureHashes();
    return append(h, author, seqNo, start, ops, seconds, message, deps, extra, chunkLength);
  }

  /**
   * As {@link #add} for a deferred load: {@code h} may be null (the hash comes later through
   * {@link #setHash}) and the heads are left for {@link #recomputeHeads}.
   */
  int append(ChangeHash h, int author, long seqNo, long start, int ops, long seconds, String message, int[] deps,
      byte[] extra, int chunkLength) {
    int i = size;
    ensure(i + 1);
    int d = depStart.get(i);
    depPool.ensure(d + deps.length);
    for (int k = 0; k < deps.length; k++) {
      depPool.set(d + k, deps[k]);
    }
    depStart.set(i + 1, d + deps.length);
    if (h != null) {
      setHash(i, h);
    }
    actor.set(i, author);
    seq.set(i, (int) seqNo);
    startOp.set(i, (int) start);
    opCount.set(i, ops);
    time.set(i, seconds);
    if (message != null) {
      messages.put(i, message);
    }
    if (extra.length > 0) {
      extraBytes.put(i, extra);
    }
    chunkBytes += chunkLength;
    size = i + 1;

    if (author >= seqCount.length) {
      int n = Math.max(author + 1, seqCount.length * 2);
      seqCount = Arrays.copyOf(seqCount, n);
      bySeq = Arrays.copyOf(bySeq, n);
    }
    if (bySeq[author] == null) {
      bySeq[author] = new Paged.LinearInts();
    }
    int n = seqCount[author];
    if (n > 0 && start <= maxOp(bySeq[author].get(n - 1))) {
      opsRiseWithSeq = false; // not Automerge's own way, but nothing forbids it (see clockOf)
    }
    bySeq[author].ensure(n + 1);
    bySeq[author].set(n, i);
    seqCount[author] = n + 1;
    if (h != null) {
      updateHeads(i, deps);
    }
    return i;
  }

  private void updateHeads(int i, int[] deps) {
    int n = 0;
    int[] next = new int[heads.length + 1];
    boolean placed = false;
    for (int hd : heads) {
      boolean covered = false;
      for (int d : deps) {
        covered |= d == hd;
      }
      if (covered) {
        continue;
      }
      if (!placed && compareHashes(i, hd) < 0) {
        next[n++] = i;
        placed = true;
      }
      next[n++] = hd;
    }
    if (!placed) {
      next[n++] = i;
    }
    heads = n == next.length ? next : Arrays.copyOf(next, n);
  }

  /**
   * Enters the entries added since the last lookup into the hash table. Lookups are rare next to
   * appends (a local commit needs none), and a batch goes in sorted by slot, so the table is
   * written in order rather than at one random place per change.
   */
  private void indexPending() {
    int t = tableLength;
    while (2 * size > t) {
      t *= 2;
    }
    int from = indexed;
    if (t != tableLength) {
      table = table(t);
      tableLength = t;
      from = 0;
    }
    int mask = tableLength - 1;
    int n = size - from;
    if (n < 64) {
      for (int e = from; e < size; e++) {
        place(e, mask);
      }
    } else {
      for (int e : bySlot(from, mask)) {
        place(e, mask);
      }
    }
    indexed = size;
  }

  /**
   * Entries {@code from .. size - 1} in the order of their slots' leading bits: a counting sort
   * into about as many buckets as entries (slots are uniform, so a few entries each), which
   * writes the table nearly in order at the cost of two passes rather than a comparison sort.
   */
  private int[] bySlot(int from, int mask) {
    int n = size - from;
    int slotBits = Integer.bitCount(mask);
    int bucketBits = Math.min(slotBits, 31 - Integer.numberOfLeadingZeros(n));
    int shift = slotBits - bucketBits;
    int[] bucket = new int[n];
    int[] start = new int[(1 << bucketBits) + 1];
    for (int i = 0; i < n; i++) {
      int b = slot(hash.get(4 * (from + i)), mask) >>> shift;
      bucket[i] = b;
      start[b + 1]++;
    }
    for (int b = 1; b < start.length; b++) {
      start[b] += start[b - 1];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[start[bucket[i]]++] = from + i;
    }
    return order;
  }

  private void place(int e, int mask) {
    int s = slot(hash.get(4 * e), mask);
    while (table.get(s) != 0) {
      s = (s + 1) & mask;
    }
    table.set(s, e + 1);
  }

  /** Whether every change's ops come after its actor's previous change's (see {@link HistoryWalk#clockOf}). */
  boolean opsRiseWithSeq() {
    return opsRiseWithSeq;
  }
}
