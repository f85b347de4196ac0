package dev.loam.internal.codec;

import static dev.loam.internal.codec.ChangeColumns.*;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a document chunk (type 0) into the changes it stores, rebuilt byte for byte and checked
 * against the stored heads.
 *
 * <pre>
 * +------------------------+---------------------------------------------------+
 * | actors                 | uLEB count, each uLEB length + bytes, sorted      |
 * | heads                  | uLEB count, count x 32-byte hashes, sorted        |
 * | change column metadata | see {@link ColumnLayout}                          |
 * | op column metadata     |                                                   |
 * | change column data     | one row per change, in causal order               |
 * | op column data         | one row per op (deletes folded into successors)   |
 * | heads index (optional) | per head, uLEB row of its change                  |
 * +------------------------+---------------------------------------------------+
 *
 * change columns:  1 author (actor) |  3 seq (delta)  | 19 maxOp (delta) | 35 time (delta)
 *                 53 message (string) | 64 deps (group) | 67 dep row (delta)
 *                 86/87 extra bytes (value metadata, raw)
 * </pre>
 *
 * Op columns are those of {@link ChangeColumns}, with op ids (33, 35) and successors (128, 129,
 * 131) in place of preds. Rebuilding the changes is {@link ChangeRebuilder}'s job.
 */
public final class DocumentChunk {
  static final int CH_ACTOR = 1;
  static final int CH_SEQ = 3;
  static final int CH_MAX_OP = 19;
  static final int CH_TIME = 35;
  static final int CH_MESSAGE = 53;
  static final int CH_DEPS_GROUP = 64;
  static final int CH_DEPS = 67;
  static final int CH_EXTRA_META = 86;
  static final int CH_EXTRA_RAW = 87;

  private DocumentChunk() {}

  /**
   * What a document chunk holds.
   *
   * @param actors the document's actor table
   * @param heads the stored heads, equal (as a set) to the heads of the rebuilt changes
   * @param changes every change, in the document's (causal) order
   * @param ops the op rows as stored (document order, actors indexing {@code actors}), for
   *     building an op set directly
   */
  public record Contents(List<ActorId> actors, List<ChangeHash> heads, List<StoredChange> changes, DocOps ops) {}

  public static Contents decode(Chunk chunk) {
    return decode(chunk, DecodeLimits.DEFAULT);
  }

  public static Contents decode(Chunk chunk, DecodeLimits limits) {
    return decodeColumns(chunk, limits).rebuild();
  }

  /**
   * A document chunk's columns, decoded and checked for shape but not yet turned into changes: an
   * engine that builds its state from the op rows can re-encode and verify the changes itself.
   *
   * @param headIndex per stored head, the row of its change; null when the chunk has no heads index
   * @param offset where the chunk starts in its input
   */
  public record Columns(List<ActorId> actors, List<ChangeHash> heads, int[] headIndex, ChangeTable table, DocOps ops,
      long offset) {
    /** Rebuilds the changes from the op rows and checks them against the stored heads. */
    public Contents rebuild() {
      List<StoredChange> changes = new ChangeRebuilder(actors, table, ops, offset).rebuild();
      checkHeads(changes, table, heads, headIndex, offset);
      return new Contents(actors, heads, changes, ops);
    }
  }

  /** Decodes a document chunk's columns without rebuilding its changes (see {@link Columns}). */
  public static Columns decodeColumns(Chunk chunk, DecodeLimits limits) {
    if (chunk.type() != ChunkType.DOCUMENT) {
      throw new DecodeException(chunk.offset(), "a document chunk, found a " + chunk.type() + " chunk");
    }
    ByteReader in = chunk.bodyReader();
    int actorCount = (int) in.readUleb(0, in.remaining(), "number of actors");
    List<ActorId> actors = new ArrayList<>(actorCount);
    for (int i = 0; i < actorCount; i++) {
      actors.add(ActorId.of(in.readBytes(in.readLength("actor length"), "actor")));
    }
    int headCount = (int) in.readUleb(0, in.remaining() / ChangeHash.LENGTH, "number of heads");
    List<ChangeHash> heads = new ArrayList<>(headCount);
    for (int i = 0; i < headCount; i++) {
      heads.add(ChangeHash.of(in.readBytes(ChangeHash.LENGTH, "head hash")));
    }
    ColumnLayout changeLayout = ColumnLayout.read(in, true, "document changes");
    ColumnLayout opLayout = ColumnLayout.read(in, true, "document ops");
    in.require(changeLayout.totalLength() + opLayout.totalLength(), "document column data");
    ColumnLayout.Columns changeCols = changeLayout.bind(in, limits.maxInflatedBytes(), "document changes");
    ColumnLayout.Columns opCols = opLayout.bind(in, limits.maxInflatedBytes(), "document ops");
    ChangeTable table = readChanges(changeCols, actorCount, limits);
    int[] headIndex = null;
    if (!in.atEnd()) {
      headIndex = new int[headCount];
      for (int i = 0; i < headCount; i++) {
        headIndex[i] = (int) in.readUleb(0, Math.max(0, table.size - 1), "heads index");
      }
      if (!in.atEnd()) {
        throw in.error("the end of the document chunk");
      }
    }
    DocOps ops = readOps(opCols, actorCount, limits);
    return new Columns(List.copyOf(actors), List.copyOf(heads), headIndex, table, ops, chunk.offset());
  }

  private static void checkHeads(
      List<StoredChange> changes, ChangeTable t, List<ChangeHash> heads, int[] headIndex, long at) {
    boolean[] hasDependent = new boolean[t.size];
    for (int d : t.depRow) {
      hasDependent[d] = true;
    }
    List<ChangeHash> computed = new ArrayList<>();
    for (int i = 0; i < t.size; i++) {
      if (!hasDependent[i]) {
        computed.add(changes.get(i).hash());
      }
    }
    computed.sort(null);
    List<ChangeHash> stored = new ArrayList<>(heads);
    stored.sort(null);
    if (!computed.equals(stored)) {
      throw new DecodeException(at, "rebuilt changes whose heads equal the stored heads (mismatching heads)");
    }
    if (headIndex != null) {
      for (int i = 0; i < headIndex.length; i++) {
        if (!changes.get(headIndex[i]).hash().equals(heads.get(i))) {
          throw new DecodeException(at, "a heads index pointing at each head's change (mismatching heads)");
        }
      }
    }
  }

  /**
   * The change columns of a document, one array entry per change, checked on reading: seqs
   * contiguous from 1 per author, maxOp non-decreasing per author, deps on earlier rows only.
   * Read-only for users.
   */
  public static final class ChangeTable {
    public int size;
    public int[] author;
    public long[] seq;
    public long[] maxOp;
    public long[] time;
    public String[] message;
    public int[] depStart; // size + 1 entries into depRow
    public int[] depRow;
    public byte[][] extra;

    /**
     * Finds, for an op, the change that holds it: the first change of its author, in table order
     * (maxOp non-decreasing per author), whose maxOp is at least the op's counter.
     *
     * @param authorMap maps the table's author indexes to the caller's actor indexes
     * @param actors how many actor indexes the caller has
     */
    public Covering covering(int[] authorMap, int actors) {
      return new Covering(this, authorMap, actors);
    }
  }

  /** See {@link ChangeTable#covering}: the changes by author, searched by maxOp. */
  public static final class Covering {
    private final ChangeTable t;
    private final int[] start;
    private final int[] byAuthor;

    private Covering(ChangeTable t, int[] authorMap, int actors) {
      this.t = t;
      start = new int[actors + 1];
      for (int i = 0; i < t.size; i++) {
        start[authorMap[t.author[i]] + 1]++;
      }
      for (int a = 0; a < actors; a++) {
        start[a + 1] += start[a];
      }
      byAuthor = new int[t.size];
      int[] fill = Arrays.copyOf(start, actors);
      for (int i = 0; i < t.size; i++) {
        byAuthor[fill[authorMap[t.author[i]]]++] = i;
      }
    }

    /** The change of {@code actor} that holds its op {@code counter}, or -1 if none does. */
    public int changeOf(int actor, long counter) {
      int lo = start[actor];
      int hi = start[actor + 1];
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (t.maxOp[byAuthor[mid]] >= counter) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo == start[actor + 1] ? -1 : byAuthor[lo];
    }
  }

  private static final int[] CHANGE_ROW_SPECS = {
    CH_ACTOR, CH_SEQ, CH_MAX_OP, CH_TIME, CH_MESSAGE, CH_DEPS_GROUP, CH_EXTRA_META
  };

  private static ChangeTable readChanges(ColumnLayout.Columns cols, int nActors, DecodeLimits limits) {
    int n = (int) ChangeChunk.rowCount(cols, CHANGE_ROW_SPECS, Math.min(limits.maxOps(), Integer.MAX_VALUE - 8), "document change");
    int depRows = (int) ChangeChunk.rowCount(cols, new int[] {CH_DEPS}, Integer.MAX_VALUE - 8, "document dep");
    var actor = new RleColumn.Decoder(cols.get(CH_ACTOR), false, n, "change author");
    var seq = new DeltaColumn.Decoder(cols.get(CH_SEQ), n, "change seq");
    var maxOp = new DeltaColumn.Decoder(cols.get(CH_MAX_OP), n, "change maxOp");
    var time = new DeltaColumn.Decoder(cols.get(CH_TIME), n, "change time");
    var message = new StringColumn.Decoder(cols.get(CH_MESSAGE), n, "change message");
    var depGroup = new RleColumn.Decoder(cols.get(CH_DEPS_GROUP), false, n, "change dep count");
    var dep = new DeltaColumn.Decoder(cols.get(CH_DEPS), depRows, "change dep");
    var extra = new ValueColumn.Decoder(cols.get(CH_EXTRA_META), cols.get(CH_EXTRA_RAW), n, "change extra bytes");
    ByteReader actorCol = cols.get(CH_ACTOR);
    long at = actorCol == null ? -1 : actorCol.offset();
    ChangeTable t = new ChangeTable();
    t.size = n;
    t.author = new int[n];
    t.seq = new long[n];
    t.maxOp = new long[n];
    t.time = new long[n];
    t.message = new String[n];
    t.depStart = new int[n + 1];
    t.depRow = new int[depRows];
    t.extra = new byte[n][];
    long[] lastSeq = new long[nActors];
    long[] lastMaxOp = new long[nActors];
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (!actor.next() || actor.value() < 0 || actor.value() >= nActors) {
        throw new DecodeException(at, "change " + i + ": an author index below " + nActors);
      }
      int a = (int) actor.value();
      t.author[i] = a;
      if (!seq.next() || seq.value() != lastSeq[a] + 1) {
        throw new DecodeException(at, "change " + i + ": seq " + (lastSeq[a] + 1) + " (seqs contiguous from 1 per actor)");
      }
      t.seq[i] = lastSeq[a] = seq.value();
      if (!maxOp.next() || maxOp.value() < lastMaxOp[a] || maxOp.value() > MAX_COUNTER) {
        throw new DecodeException(at, "change " + i + ": a maxOp of at least " + lastMaxOp[a] + " and at most 2^32-1");
      }
      t.maxOp[i] = lastMaxOp[a] = maxOp.value();
      t.time[i] = time.next() ? time.value() : 0;
      t.message[i] = message.next();
      long deps = depGroup.next() ? depGroup.value() : 0;
      if (deps < 0 || deps > depRows - d) {
        throw new DecodeException(at, "change " + i + ": at most " + (depRows - d) + " deps left in the dep column");
      }
      t.depStart[i] = d;
      for (long k = 0; k < deps; k++) {
        if (!dep.next() || dep.value() < 0 || dep.value() >= i) {
          throw new DecodeException(at, "change " + i + ": a dependency on an earlier change");
        }
        int row = (int) dep.value();
        if (t.maxOp[row] > t.maxOp[i]) {
          throw new DecodeException(at, "change " + i + ": dependencies whose maxOp is at most its own (invalid maxOp)");
        }
        t.depRow[d++] = row;
      }
      t.extra[i] = extra.nextRaw();
    }
    if (d != depRows) {
      throw new DecodeException(at, "dep counts that add up to the " + depRows + " rows of the dep column");
    }
    t.depStart[n] = d;
    actor.finish();
    seq.finish();
    maxOp.finish();
    time.finish();
    message.finish();
    depGroup.finish();
    dep.finish();
    extra.finish();
    return t;
  }

  /**
   * The op rows of a document chunk as parallel arrays, in stored order. Actor fields index the
   * document's actor table; -1 is the root object or (key actor) a map key or the sequence head.
   * Successors of row {@code r} are {@code succStart[r] .. succStart[r+1]}. Read-only for users.
   */
  public static final class DocOps {
    public int rows;
    public int[] objActor;
    public long[] objCtr;
    public int[] keyActor;
    public long[] keyCtr;
    public String[] keyStr;
    public int[] idActor;
    public long[] idCtr;
    public boolean[] insert;
    public byte[] action;
    public ScalarValue[] value;
    public int[] succStart; // rows + 1 entries
    public int[] succActor;
    public long[] succCtr;
    public boolean[] expand;
    public String[] markName;
  }

  private static final int[] OP_ROW_SPECS = {
    OBJ_ACTOR, OBJ_CTR, KEY_ACTOR, KEY_CTR, KEY_STR, ID_ACTOR, ID_CTR, INSERT, ACTION, VAL_META, SUCC_GROUP,
    EXPAND, MARK_NAME
  };

  private static DocOps readOps(ColumnLayout.Columns cols, int nActors, DecodeLimits limits) {
    long limit = Math.min(limits.maxOps(), Integer.MAX_VALUE / 2 - 8);
    int n = (int) ChangeChunk.rowCount(cols, OP_ROW_SPECS, limit, "document op");
    int succRows = (int) ChangeChunk.rowCount(cols, new int[] {SUCC_ACTOR, SUCC_CTR}, limit, "document successor");
    var objActor = new RleColumn.Decoder(cols.get(OBJ_ACTOR), false, n, "object actor");
    var objCtr = new RleColumn.Decoder(cols.get(OBJ_CTR), false, n, "object counter");
    var keyActor = new RleColumn.Decoder(cols.get(KEY_ACTOR), false, n, "key actor");
    var keyCtr = new DeltaColumn.Decoder(cols.get(KEY_CTR), n, "key counter");
    var keyStr = new StringColumn.Decoder(cols.get(KEY_STR), n, "map key");
    var idActor = new RleColumn.Decoder(cols.get(ID_ACTOR), false, n, "op id actor");
    var idCtr = new DeltaColumn.Decoder(cols.get(ID_CTR), n, "op id counter");
    var insert = new BooleanColumn.Decoder(cols.get(INSERT), n, "insert");
    var action = new RleColumn.Decoder(cols.get(ACTION), false, n, "action");
    var value = new ValueColumn.Decoder(cols.get(VAL_META), cols.get(VAL_RAW), n, "value");
    var succGroup = new RleColumn.Decoder(cols.get(SUCC_GROUP), false, n, "successor count");
    var succActor = new RleColumn.Decoder(cols.get(SUCC_ACTOR), false, succRows, "successor actor");
    var succCtr = new DeltaColumn.Decoder(cols.get(SUCC_CTR), succRows, "successor counter");
    var expand = new BooleanColumn.Decoder(cols.get(EXPAND), n, "expand");
    var markName = new StringColumn.Decoder(cols.get(MARK_NAME), n, "mark name");
    ByteReader actionCol = cols.get(ACTION);
    long at = actionCol == null ? -1 : actionCol.offset();
    DocOps o = new DocOps();
    o.rows = n;
    int cap = n + succRows;
    o.objActor = new int[cap];
    o.objCtr = new long[cap];
    o.keyActor = new int[cap];
    o.keyCtr = new long[cap];
    o.keyStr = new String[cap];
    o.idActor = new int[cap];
    o.idCtr = new long[cap];
    o.insert = new boolean[cap];
    o.action = new byte[cap];
    o.value = new ScalarValue[cap];
    o.succStart = new int[n + 1];
    o.succActor = new int[succRows];
    o.succCtr = new long[succRows];
    o.expand = new boolean[cap];
    o.markName = new String[cap];
    int s = 0;
    for (int r = 0; r < n; r++) {
      int oa = objActor.next() ? actor(objActor.value(), nActors, at, r) : -1;
      long oc = objCtr.next() ? counter(objCtr.value(), 1, at, r) : -1;
      if ((oa == -1) != (oc == -1)) {
        throw new DecodeException(at, "op " + r + ": an object id with both actor and counter, or neither");
      }
      o.objActor[r] = oa;
      o.objCtr[r] = oa == -1 ? 0 : oc;
      int ka = keyActor.next() ? actor(keyActor.value(), nActors, at, r) : -1;
      boolean hasKeyCtr = keyCtr.next();
      long kc = hasKeyCtr ? counter(keyCtr.value(), 0, at, r) : 0;
      String ks = keyStr.next();
      if (ks != null ? (ka != -1 || hasKeyCtr) : (!hasKeyCtr || (ka == -1 && kc != 0))) {
        throw new DecodeException(at, "op " + r + ": a map key, _head, or an element id");
      }
      o.keyActor[r] = ka;
      o.keyCtr[r] = kc;
      o.keyStr[r] = ks;
      if (!idActor.next() || !idCtr.next()) {
        throw new DecodeException(at, "op " + r + ": an op id");
      }
      o.idActor[r] = actor(idActor.value(), nActors, at, r);
      o.idCtr[r] = counter(idCtr.value(), 1, at, r);
      o.insert[r] = insert.next();
      if (!action.next() || action.value() < 0 || action.value() > 7) {
        throw new DecodeException(at, "op " + r + ": an action code 0-7 (unrecognized action index)");
      }
      o.action[r] = (byte) action.value();
      ScalarValue v = value.next();
      if (o.action[r] == Actions.INC && !(v instanceof ScalarValue.Int || v instanceof ScalarValue.Uint)) {
        throw new DecodeException(at, "op " + r + ": an int or uint increment (non-numeric inc)");
      }
      o.value[r] = v;
      long ns = succGroup.next() ? succGroup.value() : 0;
      if (ns < 0 || ns > succRows - s) {
        throw new DecodeException(at, "op " + r + ": at most " + (succRows - s) + " successors left");
      }
      o.succStart[r] = s;
      for (long k = 0; k < ns; k++) {
        if (!succActor.next() || !succCtr.next()) {
          throw new DecodeException(at, "op " + r + ": a non-null successor id");
        }
        o.succActor[s] = actor(succActor.value(), nActors, at, r);
        o.succCtr[s] = counter(succCtr.value(), 1, at, r);
        s++;
      }
      o.expand[r] = expand.next();
      o.markName[r] = markName.next();
    }
    if (s != succRows) {
      throw new DecodeException(at, "successor counts that add up to the " + succRows + " rows of the successor columns");
    }
    o.succStart[n] = s;
    objActor.finish();
    objCtr.finish();
    keyActor.finish();
    keyCtr.finish();
    keyStr.finish();
    idActor.finish();
    idCtr.finish();
    insert.finish();
    action.finish();
    value.finish();
    succGroup.finish();
    succActor.finish();
    succCtr.finish();
    expand.finish();
    markName.finish();
    return o;
  }

  private static int actor(long v, int nActors, long at, int row) {
    if (v < 0 || v >= nActors) {
      throw new DecodeException(at, "op " + row + ": an actor index below " + nActors + " (missing actor)");
    }
    return (int) v;
  }

  private static long counter(long v, long min, long at, int row) {
    if (v < min || v > MAX_COUNTER) {
      throw new DecodeException(at, "op " + row + ": a counter in [" + min + ", 2^32-1] (counter too large)");
    }
    return v;
  }
}
