package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.InvalidOperationException;
import dev.loam.LoadResult;
import dev.loam.Patch;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.DecodeLimits;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine behind {@code dev.loam.Document}: one replica's state and the parts that work on
 * it, behind the calls the document makes. Not thread-safe.
 *
 * <p>The parts, one job each:
 * <ul>
 *   <li>{@link Replica}: the state (op set, history, waiting changes, open transaction), local
 *       commits, re-encoding applied changes, save;</li>
 *   <li>{@link HistoryView}: queries over the history, and the clock of a past state;</li>
 *   <li>{@link ChangeApplier}: applying changes (dedupe, waiting queue, rollback by replay);</li>
 *   <li>{@link DocLoader}: the load paths (document fast path, deferred hashing, chunk by
 *       chunk);</li>
 *   <li>this class: the open transaction's life, fork and merge, and the settings (actor,
 *       commit time source, decode ceilings).</li>
 * </ul>
 *
 * <p>Failure atomicity: decoding happens before anything is applied; a change that decodes but
 * does not fit the document (a hostile or corrupt peer) makes the engine rebuild its state from
 * the changes it had, so a failed apply leaves the document exactly as it was.
 *
 * <p>Invariants: at most one local transaction is open; while it is, no change is applied,
 * loaded or merged and the actor stays as it is; a commit or rollback closes it.
 *
 * <p>Owns: the settings above; the {@link Replica} owns the document state.
 */
public final class DocEngine implements SyncDoc {

  private final Replica replica = new Replica();
  private final HistoryView historyView = new HistoryView(replica);
  private final ChangeApplier applier = new ChangeApplier(replica, historyView);
  private final DocLoader loader = new DocLoader(replica, applier, historyView);
  /** Where local commits without an explicit time take their time from (not a vector {@link Clock}). */
  private final InstantSource commitTimeSource;
  private ActorId actor;
  private DecodeLimits limits = DecodeLimits.DEFAULT;

  public DocEngine(ActorId actor, InstantSource commitTimeSource) {
    this.actor = actor;
    this.commitTimeSource = commitTimeSource;
  }

  OpSet opSet() {
    return replica.set;
  }

  History history() {
    return replica.history;
  }

  HistoryView historyView() {
    return historyView;
  }

  public DocReader reader() {
    return replica.reader;
  }

  public ActorId actor() {
    return actor;
  }

  public void setActor(ActorId a) {
    if (replica.tx != null) {
      throw new InvalidOperationException("cannot change the actor inside an open transaction");
    }
    actor = a;
  }

  /** Ceilings for decoding untrusted input: every later load and apply uses them. */
  public void setDecodeLimits(DecodeLimits limits) {
    this.limits = limits;
  }

  // ---- transactions ----

  public boolean inTransaction() {
    return replica.tx != null;
  }

  public LocalTx begin() {
    if (replica.tx != null) {
      throw new InvalidOperationException("a transaction is already open on this document");
    }
    OpSet set = replica.set;
    replica.tx = new LocalTx(set, replica.reader, set.actorIndex(actor), set.maxOp + 1);
    return replica.tx;
  }

  /** The open transaction, or null. */
  public LocalTx current() {
    return replica.tx;
  }

  public int pendingOps() {
    return replica.tx == null ? 0 : replica.tx.rows.size();
  }

  /** Commits the open transaction; returns the new change's hash, or null if it had no ops. */
  public ChangeHash commit(String message, Long time) {
    return commit(message, time, false);
  }

  /** As {@link #commit(String, Long)}; with {@code allowEmpty} a transaction without ops still records a change. */
  public ChangeHash commit(String message, Long time, boolean allowEmpty) {
    LocalTx t = replica.tx;
    replica.tx = null;
    if (t == null || (t.rows.isEmpty() && !allowEmpty)) {
      return null;
    }
    long seconds = time != null ? time : commitTimeSource.instant().getEpochSecond();
    return replica.recordLocal(t, seconds, message);
  }

  /** Drops the open transaction's ops by rebuilding the state from the history; returns how many. */
  public int rollback() {
    LocalTx t = replica.tx;
    replica.tx = null;
    if (t == null || t.rows.isEmpty()) {
      return 0;
    }
    applier.rebuild();
    return t.rows.size();
  }

  // ---- history (see HistoryView) ----

  @Override public Heads heads() { return historyView.heads(); }
  @Override public int changeCount() { return historyView.changeCount(); }
  @Override public boolean hasChange(ChangeHash hash) { return historyView.hasChange(hash); }
  @Override public List<ChangeHash> hashesSince(Heads have) { return historyView.hashesSince(have); }
  @Override public long[] hashWordsSince(Heads have) { return historyView.hashWordsSince(have); }
  @Override public List<ChangeLink> linksSince(Heads have) { return historyView.linksSince(have); }
  @Override public List<ChangeHash> missingDepsFrom(Heads start) { return historyView.missingDepsFrom(start); }
  @Override public byte[] chunkOf(ChangeHash hash) { return historyView.chunkOf(hash); }
  @Override public long historyBytes() { return historyView.historyBytes(); }

  public List<Change> changes() {
    return historyView.changes();
  }

  /** The changes not reachable from {@code have} (unknown hashes ignored), in application order. */
  public List<Change> changesSince(Heads have) {
    return historyView.changesSince(have);
  }

  /** Whether every change of {@code changes} is one of {@code at} or an ancestor of one (see {@link dev.loam.Document#includes}). */
  @Override
  public boolean includes(Heads at, Heads changes) {
    return historyView.includes(at, changes);
  }

  /** The applied change {@code hash}, or null if there is none. */
  public Change change(ChangeHash hash) {
    return historyView.change(hash);
  }

  /** Raw chunks of all changes, in application order, then (with {@code withQueued}) the queued ones. */
  public List<byte[]> chunks(boolean withQueued) {
    return historyView.chunks(withQueued);
  }

  /** The changes (as chunks) that are ancestors of {@code heads}, in application order; unknown hashes are an error. */
  public List<byte[]> chunksUpTo(Heads heads) {
    return historyView.chunksUpTo(heads);
  }

  /** Hashes that queued changes or {@code heads} depend on but the document lacks, sorted. */
  public List<ChangeHash> missingDeps(Heads heads) {
    return historyView.missingDeps(heads);
  }

  /** How many changes wait for dependencies. */
  public int queuedCount() {
    return historyView.queuedCount();
  }

  /** The vector clock of the state at {@code heads}, for historical reads; unknown hashes are an error. */
  public Clock clockAt(Heads heads) {
    return historyView.clockAt(heads);
  }

  // ---- save and load (see Replica, DocLoader) ----

  /**
   * The whole document as one document chunk, followed by the raw chunks of changes still waiting
   * for dependencies (as Automerge's {@code retain_orphans}).
   */
  @Override
  public byte[] save(boolean compress) {
    return replica.save(compress);
  }

  /** Loads a whole file strictly, as {@code Automerge.load} does. */
  public void loadStrict(byte[] bytes) {
    loadStrict(bytes, false);
  }

  /**
   * As {@link #loadStrict(byte[])}; with {@code deferVerification}, a leading document chunk's
   * changes are re-encoded and hashed (and the heads checked) only when a hash is first needed.
   */
  public void loadStrict(byte[] bytes, boolean deferVerification) {
    loader.loadStrict(bytes, deferVerification, limits);
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
  @Override
  public LoadResult loadIncremental(byte[] bytes, int maxQueued) {
    return loader.loadIncremental(bytes, maxQueued, limits);
  }

  /** Decodes change chunks given one or more per element, then applies them. */
  public LoadResult applyChunks(List<byte[]> chunks) {
    return loader.applyChunks(chunks, limits);
  }

  /**
   * Applies change chunks as {@link #applyChunks(List)} does and returns each change applied, in
   * order, with its patches against the state just before it, computed while applying it (so they
   * cost the change's ops, not the document's size). Nothing is returned for a batch that fails.
   */
  public Map.Entry<LoadResult, List<Map.Entry<ChangeHash, List<Patch>>>> applyChunksWithPatches(List<byte[]> chunks) {
    applier.recording(true);
    try {
      LoadResult result = loader.applyChunks(chunks, limits);
      return Map.entry(result, applier.takeRecorded());
    } finally {
      applier.recording(false);
    }
  }

  /** Where commit times come from (a fork keeps it). */
  public InstantSource commitTimeSource() {
    return commitTimeSource;
  }

  // ---- fork and merge ----

  /**
   * Becomes a copy of everything {@code other} has, applied and queued: its state copied structure
   * by structure, with no encoding or hashing. This engine must be empty and {@code other} must
   * have no open transaction (a document commits its implicit one first).
   */
  public void copyFrom(DocEngine other) {
    if (!replica.isEmpty()) {
      throw new IllegalStateException("copyFrom needs an empty engine");
    }
    if (other.replica.tx != null) {
      throw new IllegalStateException("copyFrom needs a source with no open transaction");
    }
    replica.copyFrom(other.replica);
  }

  /** Applies the changes of {@code other} this engine lacks, in {@code other}'s order. */
  public LoadResult merge(DocEngine other) {
    List<StoredChange> missing = new ArrayList<>();
    History theirs = other.replica.history;
    for (int i = 0; i < theirs.size(); i++) {
      if (!replica.history.contains(theirs.hash(i))) {
        missing.add(Codec.decodeChange(other.replica.chunk(i)));
      }
    }
    return applier.apply(missing, 0, -1, Integer.MAX_VALUE, LoadInput.none());
  }
}
