package dev.loam.internal.doc;

import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.InvalidOperationException;
import dev.loam.LoadResult;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Answers questions about a replica's history without changing it: heads, changes (all, since
 * some heads, up to some heads, by hash), what is missing, and the clock of a past state for
 * historical reads.
 *
 * <p>Owns: only the cache of the last clock it computed, valid while the history, the actor
 * table and the replica's generation are as they were when it was computed (historical reads
 * usually come in runs at the same heads). Everything else is read from the {@link Replica}.
 * Not thread-safe.
 */
final class HistoryView {
  private final Replica r;
  private Heads lastClockHeads;
  private int lastClockSize;
  private int lastClockActors;
  private int lastClockGeneration;
  private Clock lastClock;
  /** {@link #heads()} for the history's list {@link #lastHeadsOf} (the history keeps one list per state). */
  private Heads lastHeads = Heads.EMPTY;
  private List<ChangeHash> lastHeadsOf = List.of();

  HistoryView(Replica replica) {
    this.r = replica;
  }

  Heads heads() {
    List<ChangeHash> hashes = r.history.heads();
    if (hashes != lastHeadsOf) {
      lastHeads = Heads.of(hashes);
      lastHeadsOf = hashes;
    }
    return lastHeads;
  }

  int changeCount() {
    return r.history.size();
  }

  List<Change> changes() {
    List<Change> out = new ArrayList<>(r.history.size());
    for (int i = 0; i < r.history.size(); i++) {
      out.add(toChange(i));
    }
    return out;
  }

  List<Change> changesSince(Heads have) {
    int[] since = HistoryWalk.notReachableFrom(r.history, indexes(have, true));
    List<Change> out = new ArrayList<>(since.length);
    for (int i : since) {
      out.add(toChange(i));
    }
    return out;
  }

  /** The changes not reachable from {@code have} (unknown hashes ignored), in application order, as links. */
  List<SyncDoc.ChangeLink> linksSince(Heads have) {
    History history = r.history;
    int[] since = HistoryWalk.notReachableFrom(history, indexes(have, true));
    List<SyncDoc.ChangeLink> out = new ArrayList<>(since.length);
    for (int i : since) {
      out.add(new SyncDoc.ChangeLink(history.hash(i), depHashes(i)));
    }
    return out;
  }

  /** Whether every change of {@code changes} is one of {@code at} or an ancestor of one (unknown hashes of {@code at} ignored). */
  boolean includes(Heads at, Heads changes) {
    int[] wanted = indexes(changes, true);
    // a change this document lacks is in no history it knows
    return wanted.length == changes.size() && HistoryWalk.reaches(r.history, indexes(at, true), wanted);
  }

  /** The hashes of the changes not reachable from {@code have} (unknown hashes ignored), dependencies first. */
  List<ChangeHash> hashesSince(Heads have) {
    History history = r.history;
    int[] since = HistoryWalk.notReachableFrom(history, indexes(have, true));
    List<ChangeHash> out = new ArrayList<>(since.length);
    for (int i : since) {
      out.add(history.hash(i));
    }
    return out;
  }

  /**
   * The first 16 bytes of the hash of each change not reachable from {@code have} (unknown hashes
   * ignored), as two big-endian longs per change: what a Bloom filter of them reads, with no
   * {@link ChangeHash} made per change.
   */
  long[] hashWordsSince(Heads have) {
    History history = r.history;
    int[] since = HistoryWalk.notReachableFrom(history, indexes(have, true));
    history.ensureHashes();
    long[] out = new long[2 * since.length];
    for (int k = 0; k < since.length; k++) {
      history.hashWords(since[k], out, 2 * k);
    }
    return out;
  }

  /** Change {@code i}'s dependencies, sorted. */
  private List<ChangeHash> depHashes(int i) {
    History history = r.history;
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
  byte[] chunkOf(ChangeHash hash) {
    int i = r.history.indexOf(hash);
    return i < 0 ? null : r.chunk(i);
  }

  /** The applied change {@code hash}, or null if there is none. */
  Change change(ChangeHash hash) {
    int i = r.history.indexOf(hash);
    return i < 0 ? null : toChange(i);
  }

  /** Whether the change {@code hash} has been applied (queued changes do not count). */
  boolean hasChange(ChangeHash hash) {
    return r.history.contains(hash);
  }

  /** Raw chunks of all changes, in application order, then (with {@code withQueued}) the queued ones. */
  List<byte[]> chunks(boolean withQueued) {
    List<byte[]> out = new ArrayList<>(r.chunks(r.history.size()).chunks());
    if (withQueued) {
      for (StoredChange c : r.queue.snapshot()) {
        out.add(c.chunk());
      }
    }
    return out;
  }

  /** The changes (as chunks) that are ancestors of {@code heads}, in application order; unknown hashes are an error. */
  List<byte[]> chunksUpTo(Heads heads) {
    BitSet seen = HistoryWalk.ancestors(r.history, indexes(heads, false));
    List<byte[]> out = new ArrayList<>();
    for (int i = seen.nextSetBit(0); i >= 0; i = seen.nextSetBit(i + 1)) {
      out.add(r.chunk(i));
    }
    return out;
  }

  /** Hashes that queued changes or {@code heads} depend on but the history lacks, sorted. */
  List<ChangeHash> missingDeps(Heads heads) {
    List<ChangeHash> start = new ArrayList<>();
    for (StoredChange c : r.queue.snapshot()) {
      start.addAll(c.deps());
    }
    start.addAll(heads.hashes());
    return r.queue.missingFrom(start, r.history::contains);
  }

  /**
   * The first hash on each path back from {@code start} that is neither applied nor queued, walking
   * through the dependencies of queued changes; sorted. Unlike {@link #missingDeps}, the
   * dependencies of unrelated queued changes are not included.
   */
  List<ChangeHash> missingDepsFrom(Heads start) {
    return r.queue.missingFrom(start.hashes(), r.history::contains);
  }

  /** The total size of the applied changes' chunks, in bytes: the measure of a document's size for limits. */
  long historyBytes() {
    return r.history.chunkBytes();
  }

  int queuedCount() {
    return r.queue.size();
  }

  /** The vector clock of the state at {@code heads}; unknown hashes are an error. */
  Clock clockAt(Heads heads) {
    History history = r.history;
    int actors = r.set.actors.size();
    if (heads.equals(lastClockHeads) && lastClockSize == history.size() && lastClockActors == actors
        && lastClockGeneration == r.generation) {
      return lastClock;
    }
    Clock c = HistoryWalk.clockOf(history, indexes(heads, false), actors);
    lastClockHeads = heads;
    lastClockSize = history.size();
    lastClockActors = actors;
    lastClockGeneration = r.generation;
    lastClock = c;
    return c;
  }

  /**
   * What a batch did: {@code applied} changes since {@code before}, the queue as it is now, and
   * patches computed on first request against the op set current at that time.
   */
  LoadResult result(int applied, long truncatedAt, Heads before) {
    Heads after = heads();
    return new LoadResult(applied, r.queue.size(), truncatedAt, before, after,
        () -> new Differ(r.set, this).diff(before, after));
  }

  private Change toChange(int i) {
    History history = r.history;
    return new Change(history.hash(i), r.set.actors.get(history.actor(i)), history.seq(i), history.startOp(i),
        history.time(i), Optional.ofNullable(history.message(i)), depHashes(i), history.opCount(i), Bytes.wrap(r.chunk(i)));
  }

  /** The history indexes of {@code heads}: an unknown hash is skipped or an error. */
  private int[] indexes(Heads heads, boolean ignoreUnknown) {
    int[] out = new int[heads.size()];
    int n = 0;
    for (ChangeHash h : heads) {
      int i = r.history.indexOf(h);
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
}
