package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.Heads;
import dev.loam.LoadResult;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.ChangeTails;
import dev.loam.internal.codec.DecodeLimits;
import dev.loam.internal.codec.DocumentChunk;
import dev.loam.internal.codec.IntSort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads files into a replica, by three paths: a leading document chunk into an empty replica
 * goes straight into the op set (its changes then get their ops, are re-encoded and hashed, now
 * or, with deferred verification, at the first use of a hash); any other chunk is decoded into
 * changes handed to the {@link ChangeApplier}.
 *
 * <p>Invariants: decoding happens before anything is applied; a document chunk that fails
 * verification leaves the replica empty, as it was. Owns no state: the per-call input lives in a
 * {@link LoadInput}, the ceilings and the verification mode come in as arguments. Not thread-safe.
 */
final class DocLoader {
  private final Replica r;
  private final ChangeApplier applier;
  private final HistoryView view;

  DocLoader(Replica replica, ChangeApplier applier, HistoryView view) {
    this.r = replica;
    this.applier = applier;
    this.view = view;
  }

  /**
   * Loads a whole file strictly, as {@code Automerge.load} does; with {@code deferVerification}, a
   * leading document chunk's changes are re-encoded and hashed (and the heads checked) only when a
   * hash is first needed.
   */
  void loadStrict(byte[] bytes, boolean deferVerification, DecodeLimits limits) {
    LoadInput input = new LoadInput();
    Codec.File file = input.read(bytes, false, limits);
    List<Codec.Parsed> chunks = file.chunks();
    boolean firstIsDoc = !chunks.isEmpty() && chunks.get(0).document() != null;
    int from = loadLeadingDocument(chunks, deferVerification) ? 1 : 0;
    int prefix = input.addChanges(file, from);
    applier.apply(input.changes(), prefix, -1, Integer.MAX_VALUE, input);
    if (!r.queue.isEmpty() && !firstIsDoc) {
      throw new DecodeException(bytes.length, "changes whose dependencies are missing from the file: "
          + view.missingDeps(Heads.EMPTY).stream().map(ChangeHash::hex).toList());
    }
  }

  /**
   * Applies a sequence of chunks; a torn final chunk is skipped and reported. Refuses a batch that
   * would leave more than {@code maxQueued} changes waiting. A leading document chunk loaded into an
   * empty replica keeps its stored change order, as Automerge does.
   */
  LoadResult loadIncremental(byte[] bytes, int maxQueued, DecodeLimits limits) {
    LoadInput input = new LoadInput();
    Codec.File file = input.read(bytes, true, limits);
    List<Codec.Parsed> chunks = file.chunks();
    Heads beforeHeads = view.heads();
    boolean fast = loadLeadingDocument(chunks, false);
    int prefix = input.addChanges(file, fast ? 1 : 0);
    if (!fast) {
      return applier.apply(input.changes(), prefix, file.truncatedAt(), maxQueued, input);
    }
    int loaded = r.history.size();
    LoadResult rest;
    try {
      rest = applier.apply(input.changes(), 0, file.truncatedAt(), maxQueued, input);
    } catch (RuntimeException e) {
      r.reset();
      throw e;
    }
    return view.result(loaded + rest.applied(), file.truncatedAt(), beforeHeads);
  }

  /** Decodes change chunks given one or more per element, then applies them. */
  LoadResult applyChunks(List<byte[]> chunks, DecodeLimits limits) {
    LoadInput input = LoadInput.readAll(chunks, limits);
    return applier.apply(input.changes(), 0, -1, Integer.MAX_VALUE, input);
  }

  /**
   * Loads a leading document chunk straight into an empty replica: the op set is built from the
   * chunk's op rows in their stored order, then every change is re-encoded from the rows it
   * created and hashed, in table order, and the resulting heads must be the stored heads. Returns
   * false when the replica is not empty or the first chunk is not a document, leaving the work to
   * the change-by-change path.
   */
  private boolean loadLeadingDocument(List<Codec.Parsed> chunks, boolean defer) {
    if (chunks.isEmpty() || chunks.get(0).document() == null || !r.isEmpty()) {
      return false;
    }
    DocumentChunk.Columns doc = chunks.get(0).document();
    try {
      int[] actorMap = new int[doc.actors().size()];
      for (int i = 0; i < actorMap.length; i++) {
        actorMap[i] = r.set.actorIndex(doc.actors().get(i));
      }
      r.set.loadRows(doc.ops(), actorMap);
      verifyChanges(doc, actorMap, defer);
    } catch (RuntimeException e) {
      r.reset();
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
    History history = r.history;
    DocumentChunk.ChangeTable t = doc.table();
    history.reserve(t.size);
    int[][] opsOf = opsByChange(doc, actorMap);
    int[] start = opsOf[0];
    int[] rows = opsOf[1];
    HashPipeline.BeforeBlock append = (from, to) -> {
      for (int ci = from; ci < to; ci++) {
        history.append(null, actorMap[t.author[ci]], t.seq[ci], startOp(t, ci, start, rows), start[ci + 1] - start[ci],
            t.time[ci], Replica.emptyToNull(t.message[ci]), deps(t, ci), extra(t, ci), 0);
      }
    };
    if (defer) {
      append.run(0, t.size);
      List<ChangeHash> heads = doc.heads();
      int[] headIndex = doc.headIndex();
      long at = doc.offset();
      history.deferHashes(() -> hashDeferred(heads, headIndex, at), heads);
      return;
    }
    // each block's history columns (on this thread, while the helper encodes ahead), then its
    // changes' hashes in order, as a deferred verification sets them; then the heads
    HashPipeline.Hasher hasher = new ChainHasher(history, t);
    HashPipeline.TailWriter writer = (ci, encoder, out) -> encoder.appendTail(r.set, actorMap[t.author[ci]], t.seq[ci],
        startOp(t, ci, start, rows), t.time[ci], Replica.emptyToNull(t.message[ci]), rows, start[ci],
        start[ci + 1] - start[ci], extra(t, ci), out);
    HashPipeline.run(t.size, writer, append, hasher);
    history.recomputeHeads();
    checkStoredHeads(history, doc.heads(), doc.headIndex(), doc.offset());
  }

  /**
   * Hashes a loaded document's changes in order from their tails: each change's deps are hashes
   * already set (earlier changes), written sorted before its tail, as the change's bytes have them.
   */
  private static final class ChainHasher implements HashPipeline.Hasher {
    private final History history;
    private final DocumentChunk.ChangeTable t;
    private int[] order = new int[4];
    private byte[] deps = new byte[4 * ChangeHash.LENGTH];
    private final byte[] digest = new byte[ChangeHash.LENGTH];

    ChainHasher(History history, DocumentChunk.ChangeTable t) {
      this.history = history;
      this.t = t;
    }

    @Override
    public void hash(int ci, ChangeTails tails, int index) {
      int from = t.depStart[ci];
      int nd = t.depStart[ci + 1] - from;
      if (order.length < nd) {
        order = new int[Math.max(nd, order.length * 2)];
        deps = new byte[order.length * ChangeHash.LENGTH];
      }
      System.arraycopy(t.depRow, from, order, 0, nd);
      if (nd > 1) {
        IntSort.sort(order, 0, nd, history::compareHashes);
      }
      for (int d = 0; d < nd; d++) {
        history.copyHash(order[d], deps, d * ChangeHash.LENGTH);
      }
      history.addChunkBytes(tails.hash(index, deps, nd, digest));
      history.setHash(ci, digest);
    }
  }

  /** The first op counter of change {@code ci}: its first op's, or maxOp + 1 when it has none. */
  private long startOp(DocumentChunk.ChangeTable t, int ci, int[] start, int[] rows) {
    return start[ci + 1] == start[ci] ? t.maxOp[ci] + 1 : OpIds.counter(r.set.ops.id(rows[start[ci]]));
  }

  private static int[] deps(DocumentChunk.ChangeTable t, int ci) {
    return Arrays.copyOfRange(t.depRow, t.depStart[ci], t.depStart[ci + 1]);
  }

  private static byte[] extra(DocumentChunk.ChangeTable t, int ci) {
    return t.extra[ci] == null ? Replica.NO_BYTES : t.extra[ci];
  }

  /**
   * Gives every op row of a loaded document to its change: the first change of its author, in
   * table order (maxOp non-decreasing per author), whose maxOp is at least the op's counter. A
   * change's ops must then be exactly the counters up to its maxOp, consecutive. Returns {start,
   * rows}: change {@code ci}'s rows, by counter, are {@code rows[start[ci] .. start[ci + 1])}.
   *
   * <p>Walks each change's counters down from its maxOp through the op index while they exist and
   * stay above the author's previous maxOp: one index read per op and one per change. When the
   * walks do not reach every op, {@link #explainUncovered} names the first op they missed.
   */
  private int[][] opsByChange(DocumentChunk.Columns doc, int[] actorMap) {
    OpSet set = r.set;
    DocumentChunk.ChangeTable t = doc.table();
    int n = set.ops.size;
    int[] start = new int[t.size + 1];
    int[] rows = new int[n];
    long[] below = new long[set.actors.size()];
    int pos = 0;
    for (int ci = 0; ci < t.size; ci++) {
      int a = actorMap[t.author[ci]];
      start[ci] = pos;
      long floor = below[a];
      for (long c = t.maxOp[ci]; c > floor && pos < n; c--) {
        int row = set.row(OpIds.pack(c, a));
        if (row < 0) {
          break;
        }
        rows[pos++] = row;
      }
      reverse(rows, start[ci], pos);
      below[a] = t.maxOp[ci];
    }
    start[t.size] = pos;
    if (pos != n) {
      explainUncovered(doc, actorMap);
      throw new DecodeException(doc.offset(), "every op in a change of its actor (" + (n - pos) + " of " + n + " are in none)");
    }
    return new int[][] {start, rows};
  }

  private static void reverse(int[] a, int from, int to) {
    for (int i = from, j = to - 1; i < j; i++, j--) {
      int x = a[i];
      a[i] = a[j];
      a[j] = x;
    }
  }

  /**
   * Throws for the first op that no change covers consecutively: one whose author has no change
   * with a maxOp at least its counter, or one in a change whose ops are not numbered consecutively
   * up to its maxOp. (Binary searches over each author's maxOps; only for a document that fails.)
   */
  private void explainUncovered(DocumentChunk.Columns doc, int[] actorMap) {
    OpSet set = r.set;
    DocumentChunk.ChangeTable t = doc.table();
    DocumentChunk.Covering covering = t.covering(actorMap, set.actors.size());
    OpTable ops = set.ops;
    long[] first = new long[t.size];
    long[] last = new long[t.size];
    int[] count = new int[t.size];
    Arrays.fill(first, Long.MAX_VALUE);
    for (int row = 0; row < ops.size; row++) {
      long id = ops.id(row);
      long c = OpIds.counter(id);
      int ci = covering.changeOf(OpIds.actor(id), c);
      if (ci < 0) {
        throw new DecodeException(doc.offset(), "op " + set.idString(id) + ": a change of its actor whose maxOp covers it");
      }
      first[ci] = Math.min(first[ci], c);
      last[ci] = Math.max(last[ci], c);
      count[ci]++;
    }
    for (int ci = 0; ci < t.size; ci++) {
      if (count[ci] > 0 && (last[ci] != t.maxOp[ci] || last[ci] - first[ci] + 1 != count[ci])) {
        throw new DecodeException(doc.offset(), "change " + ci + ": ops numbered consecutively up to its maxOp "
            + t.maxOp[ci]);
      }
    }
  }

  /** The deferred half of {@link #verifyChanges}: every change re-encoded and hashed in order, then the heads checked. */
  private void hashDeferred(List<ChangeHash> storedHeads, int[] headIndex, long at) {
    History history = r.history;
    for (int i = 0; i < history.size(); i++) {
      ChangeChunk.Encoded e = r.reencode(i, ChangeChunk.Output.HASH);
      history.setHash(i, e.hash());
      history.addChunkBytes(e.length());
    }
    history.recomputeHeads();
    checkStoredHeads(history, storedHeads, headIndex, at);
  }

  private static void checkStoredHeads(History history, List<ChangeHash> storedHeads, int[] headIndex, long at) {
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
}
