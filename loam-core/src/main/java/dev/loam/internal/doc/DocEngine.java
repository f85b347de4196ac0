package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.Heads;
import dev.loam.InvalidOperationException;
import dev.loam.LoadResult;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.DocumentChunk;
import dev.loam.internal.codec.IntSort;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine behind {@code dev.loam.Document}: the op set, the change graph, the queue of changes
 * waiting for dependencies, and the open local transaction. Not thread-safe.
 *
 * <p>Failure atomicity: decoding happens before anything is applied; a change that decodes but
 * does not fit the document (a hostile or corrupt peer) makes the engine rebuild its state from
 * the changes it had, so a failed apply leaves the document exactly as it was.
 */
public final class DocEngine {
  private OpSet set;
  private DocReader reader;
  private History history;
  private final ChangeQueue queue = new ChangeQueue();
  private final ChangeBytes encoder = new ChangeBytes();
  private static final byte[] NO_BYTES = new byte[0];
  private dev.loam.internal.codec.DecodeLimits limits = dev.loam.internal.codec.DecodeLimits.DEFAULT;
  private ActorId actor;
  private final InstantSource clock;
  private LocalTx tx;
  /** During one load: the decoded input, to name the offset of a change that does not apply (searched only on error). */
  private final List<Codec.File> inputFiles = new ArrayList<>();

  public DocEngine(ActorId actor, InstantSource clock) {
    this.actor = actor;
    this.clock = clock;
    reset();
  }

  private void reset() {
    set = new OpSet();
    reader = new DocReader(set);
    history = new History();
    lastClockHeads = null;
  }

  OpSet opSet() {
    return set;
  }

  public DocReader reader() {
    return reader;
  }

  public ActorId actor() {
    return actor;
  }

  public void setActor(ActorId a) {
    if (tx != null) {
      throw new InvalidOperationException("cannot change the actor inside an open transaction");
    }
    actor = a;
  }

  // ---- transactions ----

  public boolean inTransaction() {
    return tx != null;
  }

  public LocalTx begin() {
    if (tx != null) {
      throw new InvalidOperationException("a transaction is already open on this document");
    }
    int a = set.actorIndex(actor);
    tx = new LocalTx(set, reader, a, set.maxOp + 1);
    return tx;
  }

  public LocalTx current() {
    return tx;
  }

  public int pendingOps() {
    return tx == null ? 0 : tx.rows.size();
  }

  /** Commits the open transaction; returns the new change's hash, or null if it had no ops. */
  public ChangeHash commit(String message, Long time) {
    return commit(message, time, false);
  }

  /** As {@link #commit(String, Long)}; with {@code allowEmpty} a transaction without ops still records a change. */
  public ChangeHash commit(String message, Long time, boolean allowEmpty) {
    LocalTx t = tx;
    tx = null;
    if (t == null || (t.rows.isEmpty() && !allowEmpty)) {
      return null;
    }
    long seconds = time != null ? time : clock.instant().getEpochSecond();
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

  private int[] depIndexes(List<ChangeHash> deps) {
    int[] out = new int[deps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = history.indexOf(deps.get(i));
    }
    return out;
  }

  /** The exact chunk of applied change {@code i}: kept verbatim, or re-encoded from its op rows. */
  private byte[] chunk(int i) {
    byte[] kept = history.keptChunk(i);
    return kept != null ? kept : encode(i).chunk();
  }

  /** Re-encodes applied change {@code i} from the op set; its hash must come out as recorded. */
  private ChangeChunk.Encoded encode(int i) {
    ChangeChunk.Encoded e = reencode(i, ChangeChunk.Output.BOTH);
    if (!e.hash().equals(history.hash(i))) {
      throw new IllegalStateException("change " + history.hash(i).hex() + " re-encodes as " + e.hash().hex());
    }
    return e;
  }

  private ChangeChunk.Encoded reencode(int i, ChangeChunk.Output output) {
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
  private record Chunks(List<byte[]> chunks, BitSet kept) {}

  private Chunks chunks(int n) {
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

  /** Resets the state and applies the given chunks again (they applied before). */
  private void reapply(Chunks c) {
    reset();
    for (int i = 0; i < c.chunks().size(); i++) {
      applyChecked(Codec.decodeChange(c.chunks().get(i)), !c.kept().get(i));
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Drops the open transaction's ops by rebuilding the state from the history. */
  public int rollback() {
    LocalTx t = tx;
    tx = null;
    if (t == null || t.rows.isEmpty()) {
      return 0;
    }
    rebuild();
    return t.rows.size();
  }

  private void rebuild() {
    reapply(chunks(history.size()));
  }

  // ---- history ----

  public Heads heads() {
    return Heads.of(history.heads());
  }

  public int changeCount() {
    return history.size();
  }

  public List<Change> changes() {
    List<Change> out = new ArrayList<>(history.size());
    for (int i = 0; i < history.size(); i++) {
      out.add(toChange(i));
    }
    return out;
  }

  public List<Change> changesSince(Heads have) {
    BitSet seen = history.ancestors(indexes(have, true));
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      if (!seen.get(i)) {
        out.add(toChange(i));
      }
    }
    return out;
  }

  /** A change's hash and dependencies (sorted), without its bytes: what sync's bloom logic needs. */
  public record ChangeLink(ChangeHash hash, List<ChangeHash> deps) {}

  /** The changes not reachable from {@code have} (unknown hashes ignored), in application order, as links. */
  public List<ChangeLink> linksSince(Heads have) {
    BitSet seen = history.ancestors(indexes(have, true));
    List<ChangeLink> out = new ArrayList<>(history.size() - seen.cardinality());
    for (int i = seen.nextClearBit(0); i < history.size(); i = seen.nextClearBit(i + 1)) {
      out.add(new ChangeLink(history.hash(i), depHashes(i)));
    }
    return out;
  }

  private List<ChangeHash> depHashes(int i) {
    int n = history.depCount(i);
    if (n == 1) {
      return List.of(history.hash(history.dep(i, 0)));
    }
    List<ChangeHash> deps = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      deps.add(history.hash(history.dep(i, k)));
    }
    deps.sort(null);
    return List.copyOf(deps);
  }

  /** The chunk of the applied change {@code hash}, or null if there is none. */
  public byte[] chunkOf(ChangeHash hash) {
    int i = history.indexOf(hash);
    return i < 0 ? null : chunk(i);
  }

  public Change change(ChangeHash hash) {
    int i = history.indexOf(hash);
    return i < 0 ? null : toChange(i);
  }

  /** Raw chunks of all changes, in application order, then queued ones. */
  public List<byte[]> chunks(boolean withQueued) {
    List<byte[]> out = new ArrayList<>(chunks(history.size()).chunks());
    if (withQueued) {
      for (StoredChange c : queue.snapshot()) {
        out.add(c.chunk());
      }
    }
    return out;
  }

  public List<ChangeHash> missingDeps(Heads heads) {
    List<ChangeHash> start = new ArrayList<>();
    for (StoredChange c : queue.snapshot()) {
      start.addAll(c.deps());
    }
    start.addAll(heads.hashes());
    return queue.missingFrom(start, history::contains);
  }

  private Change toChange(int i) {
    return new Change(history.hash(i), set.actors.get(history.actor(i)), history.seq(i), history.startOp(i),
        history.time(i), Optional.ofNullable(history.message(i)), depHashes(i), history.opCount(i), Bytes.wrap(chunk(i)));
  }

  private int[] indexes(Heads heads, boolean ignoreUnknown) {
    int[] out = new int[heads.size()];
    int n = 0;
    for (ChangeHash h : heads) {
      int i = history.indexOf(h);
      if (i < 0) {
        if (ignoreUnknown) {
          continue;
        }
        throw new InvalidOperationException("the document has no change " + h.hex());
      }
      out[n++] = i;
    }
    return Arrays.copyOf(out, n);
  }

  /** The clock of the state at {@code heads}; unknown hashes are an error. */
  public Clock clockAt(Heads heads) {
    // historical reads usually come in runs at the same heads: keep the last clock
    if (heads.equals(lastClockHeads) && lastClockSize == history.size() && lastClockActors == set.actors.size()) {
      return lastClock;
    }
    Clock c = history.clockOf(indexes(heads, false), set.actors.size());
    lastClockHeads = heads;
    lastClockSize = history.size();
    lastClockActors = set.actors.size();
    lastClock = c;
    return c;
  }

  private Heads lastClockHeads;
  private int lastClockSize;
  private int lastClockActors;
  private Clock lastClock;

  /** Whether every hash of {@code heads} is in the history. */
  public boolean hasAll(Heads heads) {
    for (ChangeHash h : heads) {
      if (!history.contains(h)) {
        return false;
      }
    }
    return true;
  }

  /** The changes (as chunks) that are ancestors of {@code heads}, in application order. */
  public List<byte[]> chunksUpTo(Heads heads) {
    BitSet seen = history.ancestors(indexes(heads, false));
    List<byte[]> out = new ArrayList<>();
    for (int i = seen.nextSetBit(0); i >= 0; i = seen.nextSetBit(i + 1)) {
      out.add(chunk(i));
    }
    return out;
  }

  // ---- applying changes ----

  /**
   * Applies decoded changes: duplicates are skipped, changes with missing dependencies queue, ready
   * ones apply in topological order (queue order first). All-or-nothing.
   */
  public LoadResult applyDecoded(List<StoredChange> changes, long truncatedAt) {
    return applyDecoded(changes, 0, truncatedAt, Integer.MAX_VALUE);
  }

  /**
   * Applies {@code changes}; when this engine is empty, the first {@code documentPrefix} of them
   * (the changes of a leading document chunk, already in causal order) are applied in their stored
   * order, as Automerge loads a document chunk, and the rest in dependency order after them. This
   * keeps the change order of a loaded document, so that saving it again writes the same chunk.
   * Refuses, before applying anything, a batch after which more than {@code maxQueued} changes
   * would wait for dependencies (and more than wait now).
   */
  public LoadResult applyDecoded(List<StoredChange> changes, int documentPrefix, long truncatedAt, int maxQueued) {
    if (tx != null) {
      throw new InvalidOperationException("commit or roll back the open transaction before applying changes");
    }
    int before = history.size();
    Heads beforeHeads = heads();
    List<StoredChange> batch = new ArrayList<>();
    Set<ChangeHash> batchHashes = new HashSet<>();
    Set<String> batchSeqs = new HashSet<>();
    for (StoredChange c : changes) {
      if (history.contains(c.hash()) || queue.contains(c.hash()) || !batchHashes.add(c.hash())) {
        continue;
      }
      int a = set.knownActor(c.author());
      if (a >= 0 && history.lastSeq(a) >= c.seq()) {
        throw new DecodeException(offsetOf(c), "change " + c.hash().hex() + " reuses seq " + c.seq() + " of actor " + c.author().hex());
      }
      String key = c.author().hex() + "/" + c.seq();
      if (!batchSeqs.add(key) || queue.claims(c.author(), c.seq())) {
        throw new DecodeException(offsetOf(c), "two changes claim seq " + c.seq() + " of actor " + c.author().hex());
      }
      batch.add(c);
    }
    List<StoredChange> oldQueue = queue.snapshot();
    queue.addAll(batch);
    int inOrder = before == 0 && oldQueue.isEmpty() ? Math.min(documentPrefix, batch.size()) : 0;
    List<StoredChange> prefix = new ArrayList<>(batch.subList(0, inOrder));
    Set<ChangeHash> prefixHashes = new HashSet<>();
    if (inOrder > 0) {
      queue.dropFirst(inOrder);
      for (StoredChange c : prefix) {
        prefixHashes.add(c.hash());
      }
    }
    List<StoredChange> ready = queue.popReady(h -> history.contains(h) || prefixHashes.contains(h));
    if (queue.size() > maxQueued && queue.size() > oldQueue.size()) {
      int waiting = queue.size();
      queue.restore(oldQueue);
      throw new QueueLimitException(waiting, maxQueued);
    }
    StoredChange current = null;
    try {
      for (StoredChange c : prefix) {
        current = c;
        applyChecked(c, false);
      }
      for (StoredChange c : ready) {
        current = c;
        applyChecked(c, false);
      }
    } catch (RuntimeException e) {
      // restore: the queue as it was and the state from the history as it was
      // the changes applied before this batch re-encode from their rows, which the batch did not touch
      Chunks keep = chunks(before);
      queue.restore(oldQueue);
      reapply(keep);
      long at = current == null ? -1 : offsetOf(current);
      if (e instanceof DecodeException d && (d.offset() >= 0 || at < 0)) {
        throw d;
      }
      String what = e instanceof DecodeException d ? d.expected() : e.getMessage();
      throw new DecodeException(at, "change " + (current == null ? "" : current.hash().hex() + " ") + "does not apply: " + what, e);
    }
    Heads afterHeads = heads();
    return new LoadResult(history.size() - before, queue.size(), truncatedAt, beforeHeads, afterHeads,
        () -> new Differ(this).diff(beforeHeads, afterHeads));
  }

  public int queuedCount() {
    return queue.size();
  }

  private long offsetOf(StoredChange c) {
    for (Codec.File f : inputFiles) {
      long at = f.offsetOf(c);
      if (at >= 0) {
        return at;
      }
    }
    return -1;
  }

  /**
   * Applies one causally ready change to the op set and records it. Unless the caller knows the
   * chunk is in canonical form, the change is re-encoded from its rows and its chunk kept when the
   * two differ, so that its bytes (and hash) can always be given back.
   */
  private void applyChecked(StoredChange c, boolean canonical) {
    int[] map = new int[c.actors().size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = set.actorIndex(c.actors().get(i));
    }
    int author = map[0];
    if (history.lastSeq(author) + 1 != c.seq()) {
      throw new DecodeException(offsetOf(c), "change " + c.hash().hex() + " has seq " + c.seq() + " but actor "
          + c.author().hex() + " is at seq " + history.lastSeq(author));
    }
    if (c.startOp() < 1 || c.maxOp() > OpIds.MAX_COUNTER) {
      throw new DecodeException(offsetOf(c), "change " + c.hash().hex() + " has op counters out of range");
    }
    List<ChangeOp> ops = c.ops();
    for (int i = 0; i < ops.size(); i++) {
      ChangeOp op = ops.get(i);
      long id = OpIds.pack(c.startOp() + i, author);
      long objId = op.objActor() < 0 ? 0 : OpIds.pack(op.objCtr(), actorOf(map, op.objActor(), c));
      ObjState obj = set.obj(objId);
      if (obj == null) {
        throw new DecodeException(offsetOf(c), "change " + c.hash().hex() + " names a missing object " + set.idString(objId));
      }
      long elem = 0;
      if (op.key() == null && op.elemActor() >= 0) {
        elem = OpIds.pack(op.elemCtr(), actorOf(map, op.elemActor(), c));
      }
      long[] preds = new long[op.predCount()];
      for (int k = 0; k < preds.length; k++) {
        preds[k] = OpIds.pack(op.predCtr()[k], actorOf(map, op.predActor()[k], c));
      }
      set.apply(id, obj, op.key(), elem, op.action(), op.insert(), TextChars.intern(op.value()), op.markName(),
          op.expand(), preds);
    }
    int idx = record(c, author);
    if (!canonical && !ChangeChunk.sameExceptChecksum(reencode(idx, ChangeChunk.Output.CHUNK).chunk(), c.chunk())) {
      history.keepChunk(idx, c.chunk());
    }
  }

  private int actorOf(int[] map, int local, StoredChange c) {
    if (local < 0 || local >= map.length) {
      throw new DecodeException(offsetOf(c), "change " + c.hash().hex() + " names actor index " + local + " of " + map.length);
    }
    return map[local];
  }

  private int record(StoredChange c, int author) {
    return history.add(c.hash(), author, c.seq(), c.startOp(), c.ops().size(), c.time(), c.message(),
        depIndexes(c.deps()), c.extraBytes(), c.chunk().length);
  }

  // ---- saving ----

  /**
   * The whole document as one document chunk, followed by the raw chunks of changes still waiting
   * for dependencies (as Automerge's {@code retain_orphans}).
   */
  /** Ceilings for decoding untrusted input: every later load and apply uses them. */
  public void setDecodeLimits(dev.loam.internal.codec.DecodeLimits limits) {
    this.limits = limits;
  }

  public byte[] save(boolean compress) {
    byte[] doc = dev.loam.internal.codec.DocumentEncoder.encode(Snapshot.of(set, history), compress);
    if (queue.isEmpty()) {
      return doc;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(doc.length + 256);
    out.writeBytes(doc);
    for (StoredChange c : queue.snapshot()) {
      out.writeBytes(c.chunk());
    }
    return out.toByteArray();
  }

  // ---- loading ----

  /** Loads a whole file strictly, as {@code Automerge.load} does. */
  public void loadStrict(byte[] bytes) {
    loadStrict(bytes, false);
  }

  /**
   * As {@link #loadStrict(byte[])}; with {@code deferVerification}, a leading document chunk's
   * changes are re-encoded and hashed (and the heads checked) only when a hash is first needed.
   */
  public void loadStrict(byte[] bytes, boolean deferVerification) {
    this.deferVerification = deferVerification;
    try {
      loadStrictInner(bytes);
    } finally {
      inputFiles.clear();
      this.deferVerification = false;
    }
  }

  /** During one {@link #loadStrict(byte[], boolean)}: whether a leading document's hashes wait for first use. */
  private boolean deferVerification;

  private void loadStrictInner(byte[] bytes) {
    Codec.File file = Codec.readFile(bytes, false, limits);
    inputFiles.add(file);
    List<Codec.Parsed> chunks = file.chunks();
    boolean firstIsDoc = !chunks.isEmpty() && chunks.get(0).document() != null;
    int from = loadLeadingDocument(chunks) ? 1 : 0;
    List<StoredChange> all = new ArrayList<>();
    int prefix = 0;
    for (int i = from; i < chunks.size(); i++) {
      Codec.Parsed p = chunks.get(i);
      if (p.documentChanges() != null) {
        if (i == 0) {
          prefix = p.documentChanges().size();
        }
        all.addAll(p.documentChanges());
      } else {
        all.add(p.change());
      }
    }
    applyDecoded(all, prefix, -1, Integer.MAX_VALUE);
    if (!queue.isEmpty() && !firstIsDoc) {
      throw new DecodeException(bytes.length, "changes whose dependencies are missing from the file: "
          + missingDeps(Heads.EMPTY).stream().map(ChangeHash::hex).toList());
    }
  }

  /**
   * Loads a leading document chunk straight into an empty engine: the op set is built from the
   * chunk's op rows in their stored order, then every change is re-encoded from the rows it
   * created and hashed, in table order, and the resulting heads must be the stored heads. Returns
   * false when the engine is not empty or the first chunk is not a document, leaving the work to
   * the change-by-change path.
   */
  private boolean loadLeadingDocument(List<Codec.Parsed> chunks) {
    if (chunks.isEmpty() || chunks.get(0).document() == null || history.size() > 0 || !queue.isEmpty() || tx != null) {
      return false;
    }
    DocumentChunk.Columns doc = chunks.get(0).document();
    try {
      int[] actorMap = new int[doc.actors().size()];
      for (int i = 0; i < actorMap.length; i++) {
        actorMap[i] = set.actorIndex(doc.actors().get(i));
      }
      set.loadRows(doc.ops(), actorMap);
      verifyChanges(doc, actorMap, deferVerification);
    } catch (RuntimeException e) {
      reset();
      if (e instanceof DecodeException d && d.offset() < 0) {
        throw new DecodeException(doc.offset(), d.expected(), d);
      }
      throw e;
    }
    return true;
  }

  /**
   * Gives each change of a loaded document its ops (an author's ops with counters above its
   * previous change's maxOp, up to this change's, consecutive), re-encodes and hashes it, and
   * records it; every op must belong to a change and the heads must come out as stored.
   */
  private void verifyChanges(DocumentChunk.Columns doc, int[] actorMap, boolean defer) {
    DocumentChunk.ChangeTable t = doc.table();
    history.reserve(t.size);
    int[][] opsOf = opsByChange(doc, actorMap);
    int[] start = opsOf[0];
    int[] rows = opsOf[1];
    int[] changeRows = new int[16];
    List<ChangeHash> deps = new ArrayList<>();
    for (int ci = 0; ci < t.size; ci++) {
      int a = actorMap[t.author[ci]];
      int n = start[ci + 1] - start[ci];
      long startOp = n == 0 ? t.maxOp[ci] + 1 : OpIds.counter(set.ops.id(rows[start[ci]]));
      int nd = t.depStart[ci + 1] - t.depStart[ci];
      int[] depIdx = new int[nd];
      for (int d = 0; d < nd; d++) {
        depIdx[d] = t.depRow[t.depStart[ci] + d];
      }
      byte[] extra = t.extra[ci] == null ? NO_BYTES : t.extra[ci];
      String message = emptyToNull(t.message[ci]);
      if (defer) {
        history.append(null, a, t.seq[ci], startOp, n, t.time[ci], message, depIdx, extra, 0);
        continue;
      }
      deps.clear();
      for (int d : depIdx) {
        deps.add(history.hash(d));
      }
      if (changeRows.length < n) {
        changeRows = new int[Math.max(n, changeRows.length * 2)];
      }
      System.arraycopy(rows, start[ci], changeRows, 0, n);
      ChangeChunk.Encoded e = encoder.encode(set, a, t.seq[ci], startOp, t.time[ci], message, deps, changeRows, n, extra,
          ChangeChunk.Output.HASH);
      history.add(e.hash(), a, t.seq[ci], startOp, n, t.time[ci], message, depIdx, extra, e.length());
    }
    if (defer) {
      List<ChangeHash> heads = doc.heads();
      int[] headIndex = doc.headIndex();
      long at = doc.offset();
      history.deferHashes(() -> hashDeferred(heads, headIndex, at), heads);
      return;
    }
    checkStoredHeads(doc.heads(), doc.headIndex(), doc.offset());
  }

  /**
   * Gives every op row of a loaded document to its change: the first change of its author, in
   * table order (maxOp non-decreasing per author), whose maxOp is at least the op's counter. A
   * change's ops must then be exactly the counters up to its maxOp, consecutive. Binary searches
   * over each author's maxOps, no id lookups. Returns {start, rows}: change {@code ci}'s rows,
   * by counter, are {@code rows[start[ci] .. start[ci + 1])}.
   */
  private int[][] opsByChange(DocumentChunk.Columns doc, int[] actorMap) {
    DocumentChunk.ChangeTable t = doc.table();
    DocumentChunk.Covering covering = t.covering(actorMap, set.actors.size());
    OpTable ops = set.ops;
    int n = ops.size;
    int[] changeOf = new int[n];
    int[] start = new int[t.size + 1];
    for (int r = 0; r < n; r++) {
      long id = ops.id(r);
      int a = OpIds.actor(id);
      long c = OpIds.counter(id);
      int ci = covering.changeOf(a, c);
      if (ci < 0) {
        throw new DecodeException(doc.offset(), "op " + set.idString(id) + ": a change of its actor whose maxOp covers it");
      }
      changeOf[r] = ci;
      start[ci + 1]++;
    }
    for (int ci = 0; ci < t.size; ci++) {
      start[ci + 1] += start[ci];
    }
    int[] rows = new int[n];
    int[] at = Arrays.copyOf(start, t.size);
    for (int r = 0; r < n; r++) {
      rows[at[changeOf[r]]++] = r;
    }
    for (int ci = 0; ci < t.size; ci++) {
      int from = start[ci];
      int to = start[ci + 1];
      // by counter (a change's ops are usually few; one change may hold them all)
      IntSort.sort(rows, from, to, (x, y) -> Long.compare(OpIds.counter(ops.id(x)), OpIds.counter(ops.id(y))));
      if (to > from) {
        long first = OpIds.counter(ops.id(rows[from]));
        long last = OpIds.counter(ops.id(rows[to - 1]));
        if (last != t.maxOp[ci] || last - first + 1 != to - from) {
          throw new DecodeException(doc.offset(), "change " + ci + ": ops numbered consecutively up to its maxOp "
              + t.maxOp[ci]);
        }
      }
    }
    return new int[][] {start, rows};
  }

  /** The deferred half of {@link #verifyChanges}: every change re-encoded and hashed in order, then the heads checked. */
  private void hashDeferred(List<ChangeHash> storedHeads, int[] headIndex, long at) {
    for (int i = 0; i < history.size(); i++) {
      ChangeChunk.Encoded e = reencode(i, ChangeChunk.Output.HASH);
      history.setHash(i, e.hash());
      history.addChunkBytes(e.length());
    }
    history.recomputeHeads();
    checkStoredHeads(storedHeads, headIndex, at);
  }

  private void checkStoredHeads(List<ChangeHash> storedHeads, int[] headIndex, long at) {
    List<ChangeHash> stored = new ArrayList<>(storedHeads);
    stored.sort(null);
    if (!history.heads().equals(stored)) {
      throw new DecodeException(at, "rebuilt changes whose heads equal the stored heads (mismatching heads)");
    }
    if (headIndex != null) {
      for (int i = 0; i < headIndex.length; i++) {
        if (!history.hash(headIndex[i]).equals(storedHeads.get(i))) {
          throw new DecodeException(at, "a heads index pointing at each head's change (mismatching heads)");
        }
      }
    }
  }

  /** Applies a sequence of chunks; a torn final chunk is skipped and reported. */
  public LoadResult loadIncremental(byte[] bytes) {
    return loadIncremental(bytes, Integer.MAX_VALUE);
  }

  /**
   * As {@link #loadIncremental(byte[])}, refusing a batch that would leave more than {@code
   * maxQueued} changes waiting. A leading document chunk loaded into an empty engine keeps its
   * stored change order, as Automerge does.
   */
  public LoadResult loadIncremental(byte[] bytes, int maxQueued) {
    try {
      return loadIncrementalInner(bytes, maxQueued);
    } finally {
      inputFiles.clear();
    }
  }

  private LoadResult loadIncrementalInner(byte[] bytes, int maxQueued) {
    Codec.File file = Codec.readFile(bytes, true, limits);
    inputFiles.add(file);
    List<Codec.Parsed> chunks = file.chunks();
    Heads beforeHeads = heads();
    boolean fast = loadLeadingDocument(chunks);
    List<StoredChange> all = new ArrayList<>();
    int prefix = 0;
    for (int i = fast ? 1 : 0; i < chunks.size(); i++) {
      Codec.Parsed p = chunks.get(i);
      if (p.documentChanges() != null) {
        if (i == 0) {
          prefix = p.documentChanges().size();
        }
        all.addAll(p.documentChanges());
      } else {
        all.add(p.change());
      }
    }
    if (!fast) {
      return applyDecoded(all, prefix, file.truncatedAt(), maxQueued);
    }
    int loaded = history.size();
    LoadResult rest;
    try {
      rest = applyDecoded(all, 0, file.truncatedAt(), maxQueued);
    } catch (RuntimeException e) {
      reset();
      throw e;
    }
    Heads afterHeads = heads();
    return new LoadResult(loaded + rest.applied(), rest.pending(), file.truncatedAt(), beforeHeads, afterHeads,
        () -> new Differ(this).diff(beforeHeads, afterHeads));
  }


  /** Decodes change chunks given one or more per element, then applies them. */
  public LoadResult applyChunks(List<byte[]> chunks) {
    try {
      return applyChunksInner(chunks);
    } finally {
      inputFiles.clear();
    }
  }

  private LoadResult applyChunksInner(List<byte[]> chunks) {
    List<StoredChange> all = new ArrayList<>();
    for (byte[] b : chunks) {
      Codec.File file = Codec.readFile(b, false, limits);
      inputFiles.add(file);
      for (Codec.Parsed p : file.chunks()) {
        if (p.documentChanges() != null) {
          all.addAll(p.documentChanges());
        } else {
          all.add(p.change());
        }
      }
    }
    return applyDecoded(all, -1);
  }

  /**
   * Loads everything {@code other} has, applied and queued, into this empty engine: through the
   * document fast path (save, then load), unless {@code other} keeps a change in a non-canonical
   * form that a document cannot carry, when its chunks are applied one by one.
   */
  public void copyFrom(DocEngine other) {
    if (history.size() > 0 || !queue.isEmpty() || tx != null) {
      throw new IllegalStateException("copyFrom needs an empty engine");
    }
    // the other engine's own state is trusted: no ceilings for untrusted input
    var saved = limits;
    limits = new dev.loam.internal.codec.DecodeLimits(Long.MAX_VALUE, Long.MAX_VALUE);
    try {
      if (other.history.hasKeptChunks()) {
        applyChunks(other.chunks(true));
      } else {
        loadIncremental(other.save(false));
      }
    } finally {
      limits = saved;
    }
  }

  /** The changes of {@code other} this engine lacks, in {@code other}'s order. */
  public LoadResult merge(DocEngine other) {
    List<StoredChange> missing = new ArrayList<>();
    for (int i = 0; i < other.history.size(); i++) {
      if (!history.contains(other.history.hash(i))) {
        missing.add(Codec.decodeChange(other.chunk(i)));
      }
    }
    return applyDecoded(missing, -1);
  }

  // ---- sync support (dev.loam.sync) ----

  /** Whether the change {@code hash} has been applied (queued changes do not count). */
  public boolean hasChange(ChangeHash hash) {
    return history.contains(hash);
  }

  /** The hashes of the changes not reachable from {@code have} (unknown hashes ignored), dependencies first. */
  public List<ChangeHash> hashesSince(Heads have) {
    BitSet seen = history.ancestors(indexes(have, true));
    List<ChangeHash> out = new ArrayList<>(history.size() - seen.cardinality());
    for (int i = seen.nextClearBit(0); i < history.size(); i = seen.nextClearBit(i + 1)) {
      out.add(history.hash(i));
    }
    return out;
  }

  /**
   * The first hash on each path back from {@code start} that is neither applied nor queued, walking
   * through the dependencies of queued changes; sorted. Unlike {@link #missingDeps}, the
   * dependencies of unrelated queued changes are not included.
   */
  public List<ChangeHash> missingDepsFrom(Heads start) {
    return queue.missingFrom(start.hashes(), history::contains);
  }

  /** The total size of the applied changes' chunks, in bytes: the measure of a document's size for limits. */
  public long historyBytes() {
    return history.chunkBytes();
  }
}
