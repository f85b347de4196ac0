package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.DocumentEncoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The state of one document replica, and the encoding of its changes: the op set, the reader
 * over it, the change history, the changes waiting for dependencies and the open local
 * transaction. The engine's other parts ({@link HistoryView}, {@link ChangeApplier}, {@link
 * DocLoader}) own no document state: they read and change this object.
 *
 * <p>Owns: {@link #set}, {@link #reader} and {@link #history} (replaced together by {@link
 * #reset}), the {@link #queue}, the open transaction {@link #tx}, and the encoder's scratch
 * arrays. Not thread-safe.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The history records exactly the changes whose ops are in the op set, plus the ops of the
 *       open transaction (if any), which belong to no change yet.</li>
 *   <li>A change's bytes are not stored: {@link #chunk} re-encodes them from its op rows and must
 *       give back its recorded hash, except for chunks that arrived in a non-canonical form, which
 *       the history keeps verbatim.</li>
 *   <li>{@link #reset} replaces the op set, reader and history together and bumps {@link
 *       #generation}, so caches over them (the history view's clock) know they are stale; the
 *       queue and the transaction survive it (callers put them right).</li>
 * </ul>
 */
final class Replica {
  /** The extra bytes of a change that has none. */
  static final byte[] NO_BYTES = new byte[0];

  OpSet set;
  DocReader reader;
  History history;
  /** Changes whose dependencies are missing. */
  final ChangeQueue queue = new ChangeQueue();
  /** The open local transaction, or null. */
  LocalTx tx;
  /** Counts {@link #reset}s: a cache over the op set or history is valid for one generation. */
  int generation;
  private final ChangeBytes encoder = new ChangeBytes();

  Replica() {
    reset();
  }

  /** Empties the op set and the history (the queue and the transaction are left alone). */
  void reset() {
    set = new OpSet();
    reader = new DocReader(set);
    history = new History();
    generation++;
  }

  /**
   * Becomes a copy of {@code src}'s op set, history and waiting changes (not of its open
   * transaction): this replica must be {@linkplain #isEmpty empty}.
   */
  void copyFrom(Replica src) {
    History h = src.history.copy(); // first: it may run src's deferred hashing
    set = src.set.copy();
    reader = new DocReader(set);
    history = h;
    generation++;
    queue.restore(src.queue.snapshot());
  }

  /** Whether nothing was ever applied, queued or written: what the document fast path and a fork need. */
  boolean isEmpty() {
    return history.size() == 0 && queue.isEmpty() && tx == null;
  }

  // ---- local changes ----

  /**
   * Records the ops of {@code t} as a change of its actor: next seq, the heads (plus the actor's
   * previous change if it is not one of them) as deps. Returns the change's hash.
   */
  ChangeHash recordLocal(LocalTx t, long seconds, String message) {
    int author = t.actor;
    long seq = history.lastSeq(author) + 1;
    // deps: the heads, plus this actor's previous change if it is not one of them (the encoder sorts them)
    int[] depIdx = history.headIndexes();
    int last = history.lastOf(author);
    if (last >= 0 && !contains(depIdx, last)) {
      depIdx = Arrays.copyOf(depIdx, depIdx.length + 1);
      depIdx[depIdx.length - 1] = last;
    }
    ChangeHash[] depHashes = new ChangeHash[depIdx.length];
    for (int k = 0; k < depIdx.length; k++) {
      depHashes[k] = history.hash(depIdx[k]);
    }
    // a local change claims this sequence number: queued changes of the same actor at or after it can never apply
    queue.dropBranch(set.actors.get(author), seq);
    int n = t.rows.size();
    int[] rows = t.rows.toArray();
    String msg = emptyToNull(message);
    ChangeChunk.Encoded change = encoder.encode(set, author, seq, t.startOp, seconds, msg, List.of(depHashes), rows, n,
        NO_BYTES, ChangeChunk.Output.HASH);
    history.add(change.hash(), author, seq, t.startOp, n, seconds, msg, depIdx, NO_BYTES, change.length());
    return change.hash();
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  // ---- re-encoding applied changes ----

  /** How many re-encoded chunks {@link #chunk} keeps: a change a server relays to each of its peers is encoded once. */
  private static final int RECENT = 8;
  private final int[] recentIndex = new int[RECENT];
  private final byte[][] recentChunk = new byte[RECENT][];
  /** The {@link #generation} the recent chunks belong to. */
  private int recentGeneration;
  private int recentNext;

  /**
   * The exact chunk of applied change {@code i}: kept verbatim, or re-encoded from its op rows (the
   * last few re-encoded are reused: indexes are stable within a generation). Callers must not
   * change the array.
   */
  byte[] chunk(int i) {
    byte[] kept = history.keptChunk(i);
    if (kept != null) {
      return kept;
    }
    if (recentGeneration != generation) {
      Arrays.fill(recentChunk, null);
      recentGeneration = generation;
    }
    for (int k = 0; k < RECENT; k++) {
      if (recentIndex[k] == i && recentChunk[k] != null) {
        return recentChunk[k];
      }
    }
    byte[] c = verifiedEncoding(i).chunk();
    recentIndex[recentNext] = i;
    recentChunk[recentNext] = c;
    recentNext = (recentNext + 1) % RECENT;
    return c;
  }

  /** Re-encodes applied change {@code i} from the op set; its hash must come out as recorded. */
  private ChangeChunk.Encoded verifiedEncoding(int i) {
    ChangeChunk.Encoded e = reencode(i, ChangeChunk.Output.BOTH);
    if (!e.hash().equals(history.hash(i))) {
      throw new IllegalStateException("change " + history.hash(i).hex() + " re-encodes as " + e.hash().hex());
    }
    return e;
  }

  /** Re-encodes applied change {@code i} from the op rows it created, making what {@code output} asks for. */
  ChangeChunk.Encoded reencode(int i, ChangeChunk.Output output) {
    int author = history.actor(i);
    int n = history.opCount(i);
    long start = history.startOp(i);
    int[] rows = new int[n];
    for (int k = 0; k < n; k++) {
      rows[k] = set.row(OpIds.pack(start + k, author));
      if (rows[k] < 0) {
        throw new IllegalStateException("op " + set.idString(OpIds.pack(start + k, author)) + " of a change is missing");
      }
    }
    List<ChangeHash> deps = new ArrayList<>(history.depCount(i));
    for (int k = 0; k < history.depCount(i); k++) {
      deps.add(history.hash(history.dep(i, k)));
    }
    return encoder.encode(set, author, history.seq(i), start, history.time(i), history.message(i),
        deps, rows, n, history.extraBytes(i), output);
  }

  /** The chunks of applied changes {@code 0 .. n - 1} and whether each was kept verbatim (not canonical). */
  record Chunks(List<byte[]> chunks, BitSet kept) {}

  Chunks chunks(int n) {
    List<byte[]> out = new ArrayList<>(n);
    BitSet kept = new BitSet();
    for (int i = 0; i < n; i++) {
      if (history.keptChunk(i) != null) {
        kept.set(i);
      }
      out.add(chunk(i));
    }
    return new Chunks(out, kept);
  }

  // ---- saving ----

  /** The last compressed document chunk written: a save repeated with no change in between reuses it. */
  private byte[] savedChunk;
  /** The {@link #generation} and history size {@link #savedChunk} was written for. */
  private int savedGeneration;
  private int savedSize = -1;

  /**
   * The document chunk of the applied changes. A compressed one (what {@code save()} and sync
   * send; small) is kept and reused while no change was applied, no reset happened and no
   * transaction is open: the chunk is a function of the set of applied changes. Callers copy it
   * before handing it out.
   */
  private byte[] documentChunk(boolean compress) {
    boolean reusable = compress && tx == null;
    if (reusable && savedChunk != null && savedGeneration == generation && savedSize == history.size()) {
      return savedChunk;
    }
    byte[] doc = DocumentEncoder.encode(Snapshot.of(set, history), compress);
    if (reusable) {
      savedChunk = doc;
      savedGeneration = generation;
      savedSize = history.size();
    }
    return doc;
  }

  /**
   * The whole document as one document chunk, followed by the raw chunks of changes still waiting
   * for dependencies (as Automerge's {@code retain_orphans}).
   */
  byte[] save(boolean compress) {
    byte[] doc = documentChunk(compress);
    if (queue.isEmpty()) {
      return doc.clone();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(doc.length + 256);
    out.writeBytes(doc);
    for (StoredChange c : queue.snapshot()) {
      out.writeBytes(c.chunk());
    }
    return out.toByteArray();
  }
}
