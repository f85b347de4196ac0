package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.Heads;
import dev.loam.InvalidOperationException;
import dev.loam.LoadResult;
import dev.loam.Patch;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies decoded changes to a replica: skips duplicates, queues changes whose dependencies are
 * missing, applies the ready ones in dependency order, and undoes a failed batch by replaying the
 * history as it was.
 *
 * <p>Failure atomicity: a change that decodes but does not fit the document (a hostile or
 * corrupt peer) makes the applier rebuild the state from the changes applied before the batch and
 * put the queue back, so a failed apply leaves the replica exactly as it was. A batch that would
 * leave too many changes waiting is refused before anything is applied.
 *
 * <p>Owns no state: it changes the {@link Replica} it was made for. Not thread-safe.
 */
final class ChangeApplier {
  private final Replica r;
  private final HistoryView view;
  /** Set while a caller wants each change's patches (see {@link #recording}). */
  private @Nullable ApplyPatchLog log;
  private final List<Map.Entry<ChangeHash, List<Patch>>> recorded = new ArrayList<>();

  ChangeApplier(Replica replica, HistoryView view) {
    this.r = replica;
    this.view = view;
  }

  /**
   * Applies {@code changes}; when the replica is empty, the first {@code documentPrefix} of them
   * (the changes of a leading document chunk, already in causal order) are applied in their stored
   * order, as Automerge loads a document chunk, and the rest in dependency order after them. This
   * keeps the change order of a loaded document, so that saving it again writes the same chunk.
   * Refuses, before applying anything, a batch after which more than {@code maxQueued} changes
   * would wait for dependencies (and more than wait now). Errors name offsets in {@code input}.
   */
  LoadResult apply(List<StoredChange> changes, int documentPrefix, long truncatedAt, int maxQueued, LoadInput input) {
    if (r.tx != null) {
      throw new InvalidOperationException("commit or roll back the open transaction before applying changes");
    }
    History history = r.history;
    ChangeQueue queue = r.queue;
    int before = history.size();
    Heads beforeHeads = view.heads();
    List<StoredChange> batch = new ArrayList<>();
    Set<ChangeHash> batchHashes = new HashSet<>();
    Set<Map.Entry<ActorId, Long>> batchSeqs = new HashSet<>();
    for (StoredChange c : changes) {
      if (history.contains(c.hash()) || queue.contains(c.hash()) || !batchHashes.add(c.hash())) {
        continue;
      }
      int a = r.set.knownActor(c.author());
      if (a >= 0 && history.lastSeq(a) >= c.seq()) {
        throw new DecodeException(input.offsetOf(c), "change " + c.hash().hex() + " reuses seq " + c.seq() + " of actor "
            + c.author().hex());
      }
      if (!batchSeqs.add(Map.entry(c.author(), c.seq())) || queue.claims(c.author(), c.seq())) {
        throw new DecodeException(input.offsetOf(c), "two changes claim seq " + c.seq() + " of actor " + c.author().hex());
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
        applyOne(c, false, input);
      }
      for (StoredChange c : ready) {
        current = c;
        applyOne(c, false, input);
      }
    } catch (RuntimeException e) {
      // restore: the queue as it was and the state from the history as it was
      // the changes applied before this batch re-encode from their rows, which the batch did not touch
      Replica.Chunks keep = r.chunks(before);
      queue.restore(oldQueue);
      ApplyPatchLog wanted = log;
      log = null; // the replay restores a state; it is no change of anyone's
      recorded.clear();
      try {
        replay(keep);
      } finally {
        log = wanted;
      }
      long at = current == null ? -1 : input.offsetOf(current);
      if (e instanceof DecodeException d && (d.offset() >= 0 || at < 0)) {
        throw d;
      }
      String what = e instanceof DecodeException d ? d.expected() : e.getMessage();
      throw new DecodeException(at, "change " + (current == null ? "" : current.hash().hex() + " ") + "does not apply: "
          + what, e);
    }
    return view.result(r.history.size() - before, truncatedAt, beforeHeads);
  }

  /**
   * Starts ({@code on}) or stops recording the patches of each change applied, computed while
   * applying it (against the state just before it; see {@link ApplyPatchLog}); stopping drops
   * what was recorded and not taken.
   */
  void recording(boolean on) {
    log = on ? new ApplyPatchLog(r.set, view) : null;
    recorded.clear();
  }

  /** The changes applied since recording started or since the last call, in order, with their patches. */
  List<Map.Entry<ChangeHash, List<Patch>>> takeRecorded() {
    List<Map.Entry<ChangeHash, List<Patch>>> out = List.copyOf(recorded);
    recorded.clear();
    return out;
  }

  /** Rebuilds the op set and history from the applied changes: drops whatever else the op set holds. */
  void rebuild() {
    replay(r.chunks(r.history.size()));
  }

  /** Resets the state and applies the given chunks again (they applied before). */
  private void replay(Replica.Chunks c) {
    r.reset();
    LoadInput none = LoadInput.none();
    for (int i = 0; i < c.chunks().size(); i++) {
      applyOne(Codec.decodeChange(c.chunks().get(i)), !c.kept().get(i), none);
    }
  }

  /**
   * Applies one causally ready change to the op set and records it. Unless the caller knows the
   * chunk is in canonical form, the change is re-encoded from its rows and its chunk kept when the
   * two differ, so that its bytes (and hash) can always be given back.
   */
  private void applyOne(StoredChange c, boolean canonical, LoadInput input) {
    OpSet set = r.set;
    History history = r.history;
    int[] map = new int[c.actors().size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = set.actorIndex(c.actors().get(i));
    }
    int author = map[0];
    if (history.lastSeq(author) + 1 != c.seq()) {
      throw new DecodeException(input.offsetOf(c), "change " + c.hash().hex() + " has seq " + c.seq() + " but actor "
          + c.author().hex() + " is at seq " + history.lastSeq(author));
    }
    if (c.startOp() < 1 || c.maxOp() > OpIds.MAX_COUNTER) {
      throw new DecodeException(input.offsetOf(c), "change " + c.hash().hex() + " has op counters out of range");
    }
    List<ChangeOp> ops = c.ops();
    if (log != null) {
      log.begin();
    }
    for (int i = 0; i < ops.size(); i++) {
      ChangeOp op = ops.get(i);
      long id = OpIds.pack(c.startOp() + i, author);
      long objId = op.objActor() < 0 ? 0 : OpIds.pack(op.objCtr(), actorOf(map, op.objActor(), c, input));
      ObjState obj = set.obj(objId);
      if (obj == null) {
        throw new DecodeException(input.offsetOf(c), "change " + c.hash().hex() + " names a missing object "
            + set.idString(objId));
      }
      long elem = 0;
      if (op.key() == null && op.elemActor() >= 0) {
        elem = OpIds.pack(op.elemCtr(), actorOf(map, op.elemActor(), c, input));
      }
      long[] preds = new long[op.predCount()];
      for (int k = 0; k < preds.length; k++) {
        preds[k] = OpIds.pack(op.predCtr()[k], actorOf(map, op.predActor()[k], c, input));
      }
      ApplyPatchLog l = log;
      if (l != null) {
        l.before(obj, op.key(), elem, op.insert(), op.action());
      }
      int row = set.apply(id, obj, op.key(), elem, op.action(), op.insert(), TextChars.intern(op.value()), op.markName(),
          op.expand(), preds);
      if (l != null) {
        l.after(obj, op.key(), elem, op.insert(), row);
      }
    }
    int idx = history.add(c.hash(), author, c.seq(), c.startOp(), c.ops().size(), c.time(), c.message(),
        depIndexes(c.deps()), c.extraBytes(), c.chunk().length);
    if (!canonical && !ChangeChunk.sameExceptChecksum(r.reencode(idx, ChangeChunk.Output.CHUNK).chunk(), c.chunk())) {
      history.keepChunk(idx, c.chunk());
    }
    if (log != null) {
      recorded.add(Map.entry(c.hash(), log.patches()));
    }
  }

  private static int actorOf(int[] map, int local, StoredChange c, LoadInput input) {
    if (local < 0 || local >= map.length) {
      throw new DecodeException(input.offsetOf(c), "change " + c.hash().hex() + " names actor index " + local + " of "
          + map.length);
    }
    return map[local];
  }

  private int[] depIndexes(List<ChangeHash> deps) {
    int[] out = new int[deps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.history.indexOf(deps.get(i));
    }
    return out;
  }
}
