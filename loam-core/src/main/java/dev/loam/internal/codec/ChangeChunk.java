package dev.loam.internal.codec;

import static dev.loam.internal.codec.ChangeColumns.*;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeMeta;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes and encodes change chunks (type 1; type 2 arrives already inflated).
 *
 * <pre>
 * +----------------+------------------------------------------------------------+
 * | deps           | uLEB count, count x 32-byte hashes, sorted                 |
 * | actor          | uLEB length, bytes: the author                             |
 * | seq            | uLEB                                                       |
 * | startOp        | uLEB, 1 .. 2^32-1                                          |
 * | time           | sLEB                                                       |
 * | message        | uLEB length, UTF-8 (empty = none)                          |
 * | other actors   | uLEB count, then each as uLEB length + bytes, sorted       |
 * | op columns     | column metadata then data (see {@link ChangeColumns})      |
 * | extra bytes    | the rest of the body, kept and hashed                      |
 * +----------------+------------------------------------------------------------+
 * </pre>
 *
 * Actor index 0 in the op columns is the author, index i &gt; 0 is other actor i-1.
 */
public final class ChangeChunk {
  private ChangeChunk() {}

  /** Decodes a single change chunk (type 1 or 2) that makes up all of {@code bytes}. */
  public static StoredChange decode(byte[] bytes) {
    return decode(ChunkReader.readSingle(bytes), DecodeLimits.DEFAULT);
  }

  /** Decodes a change chunk read by {@link ChunkReader}. */
  public static StoredChange decode(Chunk chunk) {
    return decode(chunk, DecodeLimits.DEFAULT);
  }

  public static StoredChange decode(Chunk chunk, DecodeLimits limits) {
    if (chunk.type() == ChunkType.DOCUMENT) {
      throw new DecodeException(chunk.offset(), "a change chunk, found a document chunk");
    }
    ByteReader in = chunk.bodyReader();
    int depCount = (int) in.readUleb(0, in.remaining() / ChangeHash.LENGTH, "number of deps");
    List<ChangeHash> deps = new ArrayList<>(depCount);
    for (int i = 0; i < depCount; i++) {
      deps.add(ChangeHash.of(in.readBytes(ChangeHash.LENGTH, "dependency hash")));
    }
    ActorId author = ActorId.of(in.readBytes(in.readLength("author length"), "author"));
    long seq = in.readUleb();
    long startOp = in.readUleb(1, MAX_COUNTER, "startOp (counter too large or zero)");
    long time = in.readSleb();
    String message = in.readString("message");
    int otherCount = (int) in.readUleb(0, in.remaining(), "number of other actors");
    List<ActorId> actors = new ArrayList<>(otherCount + 1);
    actors.add(author);
    for (int i = 0; i < otherCount; i++) {
      actors.add(ActorId.of(in.readBytes(in.readLength("actor length"), "actor")));
    }
    ColumnLayout layout = ColumnLayout.read(in, false, "change ops");
    ColumnLayout.Columns cols = layout.bind(in, 0, "change ops");
    long maxRows = Math.min(limits.maxOps(), MAX_COUNTER - startOp + 1);
    List<ChangeOp> ops = decodeOps(cols, actors, maxRows);
    Bytes extra = Bytes.wrap(in.readRest());
    ChangeMeta meta = new ChangeMeta(List.copyOf(actors), seq, startOp, time, message, List.copyOf(deps), extra);
    return new StoredChange(chunk.hash(), meta, ops, chunk.bytes());
  }

  /** The number of rows every present row column agrees on. */
  static long rowCount(ColumnLayout.Columns cols, int[] rowSpecs, long limit, String what) {
    long rows = -1;
    int first = 0;
    for (int spec : rowSpecs) {
      ByteReader c = cols.get(spec);
      if (c == null) {
        continue;
      }
      long at = c.offset();
      long n = ChangeColumns.countRows(c, spec, limit, what + " column " + spec);
      if (rows == -1) {
        rows = n;
        first = spec;
      } else if (n != rows) {
        throw new DecodeException(at, what + " column " + spec + ": " + rows + " rows like column " + first + ", found " + n);
      }
    }
    return Math.max(rows, 0);
  }

  private static final int[] OP_ROW_SPECS = {
    OBJ_ACTOR, OBJ_CTR, KEY_ACTOR, KEY_CTR, KEY_STR, INSERT, ACTION, VAL_META, PRED_GROUP, EXPAND, MARK_NAME
  };

  private static List<ChangeOp> decodeOps(ColumnLayout.Columns cols, List<ActorId> actors, long maxRows) {
    int rows = (int) rowCount(cols, OP_ROW_SPECS, maxRows, "change op");
    long predRows = rowCount(cols, new int[] {PRED_ACTOR, PRED_CTR}, Integer.MAX_VALUE, "change pred");
    int nActors = actors.size();
    var objActor = new RleColumn.Decoder(cols.get(OBJ_ACTOR), false, rows, "object actor");
    var objCtr = new RleColumn.Decoder(cols.get(OBJ_CTR), false, rows, "object counter");
    var keyActor = new RleColumn.Decoder(cols.get(KEY_ACTOR), false, rows, "key actor");
    var keyCtr = new DeltaColumn.Decoder(cols.get(KEY_CTR), rows, "key counter");
    var keyStr = new StringColumn.Decoder(cols.get(KEY_STR), rows, "map key");
    var insert = new BooleanColumn.Decoder(cols.get(INSERT), rows, "insert");
    var action = new RleColumn.Decoder(cols.get(ACTION), false, rows, "action");
    var value = new ValueColumn.Decoder(cols.get(VAL_META), cols.get(VAL_RAW), rows, "value");
    var predGroup = new RleColumn.Decoder(cols.get(PRED_GROUP), false, rows, "pred count");
    var predActor = new RleColumn.Decoder(cols.get(PRED_ACTOR), false, predRows, "pred actor");
    var predCtr = new DeltaColumn.Decoder(cols.get(PRED_CTR), predRows, "pred counter");
    var expand = new BooleanColumn.Decoder(cols.get(EXPAND), rows, "expand");
    var markName = new StringColumn.Decoder(cols.get(MARK_NAME), rows, "mark name");
    ByteReader actionCol = cols.get(ACTION);
    long at = actionCol == null ? -1 : actionCol.offset();
    List<ChangeOp> ops = new ArrayList<>(rows);
    long predLeft = predRows;
    for (int r = 0; r < rows; r++) {
      int oa = objActor.next() ? actorIndex(objActor.value(), nActors, at, "object actor") : -1;
      long oc = objCtr.next() ? counter(objCtr.value(), 1, at, "object counter") : -1;
      if ((oa == -1) != (oc == -1)) {
        throw new DecodeException(at, "op " + r + ": an object id with both actor and counter, or neither");
      }
      if (oa == -1) {
        oc = 0;
      }
      int ka = keyActor.next() ? actorIndex(keyActor.value(), nActors, at, "key actor") : -1;
      boolean hasKeyCtr = keyCtr.next();
      long kc = hasKeyCtr ? counter(keyCtr.value(), 0, at, "key counter") : -1;
      String ks = keyStr.next();
      if (ks != null) {
        if (ka != -1 || hasKeyCtr) {
          throw new DecodeException(at, "op " + r + ": a map key or an element id, not both");
        }
        kc = 0;
      } else if (!hasKeyCtr) {
        throw new DecodeException(at, "op " + r + ": a key (map key or element counter)");
      } else if (ka == -1 && kc != 0) {
        throw new DecodeException(at, "op " + r + ": an element actor for element counter " + kc);
      }
      boolean ins = insert.next();
      if (!action.next()) {
        throw new DecodeException(at, "op " + r + ": an action");
      }
      long act = action.value();
      if (!Actions.isValid((int) act) || act != (int) act) {
        throw new DecodeException(at, "op " + r + ": an action code 0-7 (unrecognized action index " + Long.toUnsignedString(act) + ")");
      }
      ScalarValue v = value.next();
      if (act == Actions.INC && !(v instanceof ScalarValue.Int || v instanceof ScalarValue.Uint)) {
        throw new DecodeException(at, "op " + r + ": an int or uint increment (non-numeric inc)");
      }
      long np = predGroup.next() ? predGroup.value() : 0;
      if (np < 0 || np > predLeft) {
        throw new DecodeException(at, "op " + r + ": at most " + predLeft + " preds left in the pred columns, found " + Long.toUnsignedString(np));
      }
      predLeft -= np;
      long[] pc = new long[(int) np];
      int[] pa = new int[(int) np];
      for (int i = 0; i < np; i++) {
        if (!predActor.next() || !predCtr.next()) {
          throw new DecodeException(at, "op " + r + ": a non-null pred id");
        }
        pa[i] = actorIndex(predActor.value(), nActors, at, "pred actor");
        pc[i] = counter(predCtr.value(), 1, at, "pred counter");
        if (i > 0 && compareOpId(pc[i - 1], actors.get(pa[i - 1]), pc[i], actors.get(pa[i])) >= 0) {
          throw new DecodeException(at, "op " + r + ": preds sorted by op id (pred out of order)");
        }
      }
      boolean exp = expand.next();
      String mark = markName.next();
      ops.add(new ChangeOp(oc, oa, ks, kc, ka, ins, (int) act, v, pc, pa, exp, mark));
    }
    if (predLeft != 0) {
      throw new DecodeException(at, "pred counts that add up to the " + predRows + " rows of the pred columns");
    }
    objActor.finish();
    objCtr.finish();
    keyActor.finish();
    keyCtr.finish();
    keyStr.finish();
    insert.finish();
    action.finish();
    value.finish();
    predGroup.finish();
    predActor.finish();
    predCtr.finish();
    expand.finish();
    markName.finish();
    return List.copyOf(ops);
  }

  private static int actorIndex(long v, int nActors, long at, String what) {
    if (v < 0 || v >= nActors) {
      throw new DecodeException(at, what + ": an index below " + nActors + " (missing actor), found " + Long.toUnsignedString(v));
    }
    return (int) v;
  }

  private static long counter(long v, long min, long at, String what) {
    if (v < min || v > MAX_COUNTER) {
      throw new DecodeException(at, what + ": a counter in [" + min + ", 2^32-1] (counter too large), found " + Long.toUnsignedString(v));
    }
    return v;
  }

  /** Op id order: counter, then actor bytes. */
  static int compareOpId(long c1, ActorId a1, long c2, ActorId a2) {
    int c = Long.compare(c1, c2);
    return c != 0 ? c : a1.compareTo(a2);
  }

  /**
   * Builds the canonical change chunk for the given content.
   *
   * @param meta the actors {@code ops} refer to by index (the author at index 0, the others in any
   *     order, unused ones allowed), the deps in any order, and the rest as stored
   * @return the change as {@link #decode} would return it: actors are [author, sorted others],
   *     deps and each op's preds sorted
   */
  public static StoredChange encode(ChangeMeta meta, List<ChangeOp> ops) {
    List<ActorId> actors = meta.actors();
    ActorId author = meta.author();
    long startOp = meta.startOp();
    if (startOp < 1 || startOp > MAX_COUNTER || startOp - 1 + ops.size() > MAX_COUNTER) {
      throw new IllegalArgumentException("op counters must lie in [1, 2^32-1]");
    }
    boolean[] used = new boolean[actors.size()];
    for (ChangeOp op : ops) {
      mark(used, op.objActor());
      if (!op.isMapOp()) {
        mark(used, op.elemActor());
      }
      for (int a : op.predActor()) {
        mark(used, a);
      }
    }
    List<ActorId> others = new ArrayList<>();
    for (int i = 1; i < used.length; i++) {
      if (used[i] && !actors.get(i).equals(author) && !others.contains(actors.get(i))) {
        others.add(actors.get(i));
      }
    }
    others.sort(null);
    List<ActorId> local = new ArrayList<>(others.size() + 1);
    local.add(author);
    local.addAll(others);
    int[] remap = new int[actors.size()];
    for (int i = 0; i < remap.length; i++) {
      remap[i] = actors.get(i).equals(author) ? 0 : others.indexOf(actors.get(i)) + 1;
    }
    List<ChangeOp> mapped = new ArrayList<>(ops.size());
    for (ChangeOp op : ops) {
      int n = op.predCount();
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> compareOpId(
          op.predCtr()[x], local.get(remap[op.predActor()[x]]), op.predCtr()[y], local.get(remap[op.predActor()[y]])));
      long[] pc = new long[n];
      int[] pa = new int[n];
      for (int i = 0; i < n; i++) {
        pc[i] = op.predCtr()[order[i]];
        pa[i] = remap[op.predActor()[order[i]]];
      }
      mapped.add(new ChangeOp(
          op.objCtr(), op.objActor() < 0 ? -1 : remap[op.objActor()],
          op.key(), op.isMapOp() ? 0 : op.elemCtr(),
          op.isMapOp() || op.elemActor() < 0 ? -1 : remap[op.elemActor()],
          op.insert(), op.action(), op.value(), pc, pa, op.expand(), op.markName()));
    }
    List<ChangeHash> sortedDeps = new ArrayList<>(meta.deps());
    sortedDeps.sort(null);
    ChangeMeta canonical = new ChangeMeta(List.copyOf(local), meta.seq(), startOp, meta.time(), meta.message(),
        List.copyOf(sortedDeps), meta.extraBytes());
    return encodeCanonical(canonical, List.copyOf(mapped));
  }

  private static void mark(boolean[] used, int actor) {
    if (actor >= 0) {
      used[actor] = true;
    }
  }

  /**
   * Writes a change whose actors, deps and preds are already in canonical form (what a document's
   * rebuilt changes are): no sorting, no remapping.
   */
  static StoredChange encodeCanonical(ChangeMeta meta, List<ChangeOp> ops) {
    return encodeCanonical(meta, ChangeOpSource.of(ops), ops);
  }

  /**
   * As above, reading the ops from {@code source}; {@code ops} is what the returned change lists
   * (the same ops, possibly materialised lazily).
   */
  static StoredChange encodeCanonical(ChangeMeta meta, ChangeOpSource source, List<ChangeOp> ops) {
    Encoded e = encodeRows(meta, source, Output.BOTH);
    return new StoredChange(e.hash(), meta, ops, e.chunk());
  }

  /** A change chunk (uncompressed, header included) and its hash. */
  public record Encoded(ChangeHash hash, byte[] chunk, int length) {}

  /** What {@link #encodeRows} makes: the chunk, its hash, or both. */
  public enum Output {
    /** The chunk only, its checksum left zero: for comparing with a chunk at hand ({@link #sameExceptChecksum}). */
    CHUNK,
    /** The hash (and length) only, without building the chunk: for recording a change whose bytes are not kept. */
    HASH,
    BOTH
  }

  /**
   * Writes a change whose actors, deps and preds are already in canonical form, reading its ops
   * from {@code source} (how an engine re-creates a change's exact bytes from its op rows), making
   * what {@code output} asks for (the missing part is null).
   */
  public static Encoded encodeRows(ChangeMeta meta, ChangeOpSource source, Output output) {
    ByteWriter body = BODY.get();
    body.reset();
    List<ChangeHash> deps = meta.deps();
    body.writeUleb(deps.size());
    for (ChangeHash d : deps) {
      body.writeHash(d);
    }
    writeTail(meta, source, body);
    int length = ChunkReader.chunkLength(body.size());
    Encoded out;
    if (output == Output.HASH) {
      out = new Encoded(ChunkReader.hashOnly(ChunkType.CHANGE.code(), body.array(), body.size()), null, length);
    } else {
      ChunkReader.Wrapped wrapped = ChunkReader.wrap(ChunkType.CHANGE.code(), body.array(), body.size(), output == Output.BOTH);
      out = new Encoded(wrapped.hash(), wrapped.chunk(), length);
    }
    if (body.array().length > 1 << 16) {
      BODY.remove(); // a big change's buffer is not kept for the small ones after it
    }
    return out;
  }

  /** What follows the deps in a change's body: the author and the rest of the header, the op columns, the extra bytes. */
  static void writeTail(ChangeMeta meta, ChangeOpSource source, ByteWriter body) {
    List<ActorId> actors = meta.actors();
    body.writeActor(actors.get(0));
    body.writeUleb(meta.seq()).writeUleb(meta.startOp()).writeSleb(meta.time());
    String message = meta.message();
    body.writeString(message == null ? "" : message);
    body.writeUleb(actors.size() - 1);
    for (int i = 1; i < actors.size(); i++) {
      body.writeActor(actors.get(i));
    }
    writeOpColumns(source, body);
    if (meta.extraBytes().size() > 0) {
      body.write(meta.extraBytes().toByteArray());
    }
  }

  /** Whether two change chunks are the same bytes apart from the 4 checksum bytes (which follow from the rest). */
  public static boolean sameExceptChecksum(byte[] a, byte[] b) {
    return a.length == b.length && a.length >= 8
        && Arrays.equals(a, 0, 4, b, 0, 4)
        && Arrays.equals(a, 8, a.length, b, 8, b.length);
  }

  /** The body of the change being encoded; copied into the chunk, so one per thread serves every change. */
  private static final ThreadLocal<ByteWriter> BODY = ThreadLocal.withInitial(() -> new ByteWriter(256));

  /**
   * The op columns of a change with one op and at most one pred (a keystroke), written directly:
   * each non-null column is a single RLE "lone value" run ({@code -1} then the value), a boolean
   * column is its run lengths, an all-null column is left out. The same bytes as the general
   * encoders write, without their per-column state.
   */
  private static void writeOneOp(ChangeOpSource ops, ByteWriter out) {
    OneOpColumns c = ONE_OP.get();
    c.start();
    if (ops.objActor(0) >= 0) {
      c.begin(OBJ_ACTOR).writeSleb(-1).writeUleb(ops.objActor(0));
      c.end();
      c.begin(OBJ_CTR).writeSleb(-1).writeUleb(ops.objCtr(0));
      c.end();
    }
    String key = ops.key(0);
    if (key == null) {
      if (ops.elemActor(0) >= 0) {
        c.begin(KEY_ACTOR).writeSleb(-1).writeUleb(ops.elemActor(0));
        c.end();
      }
      c.begin(KEY_CTR).writeSleb(-1).writeSleb(ops.elemCtr(0));
      c.end();
    } else {
      c.begin(KEY_STR).writeSleb(-1).writeString(key);
      c.end();
    }
    if (ops.insert(0)) {
      c.begin(INSERT).writeUleb(0).writeUleb(1);
    } else {
      c.begin(INSERT).writeUleb(1);
    }
    c.end();
    c.begin(ACTION).writeSleb(-1).writeUleb(ops.action(0));
    c.end();
    ValueColumn.Encoder value = c.value;
    value.reset();
    value.append(ops.value(0));
    c.column(VAL_META, value.finishMeta());
    c.column(VAL_RAW, value.finishRaw());
    int np = ops.predCount(0);
    c.begin(PRED_GROUP).writeSleb(-1).writeUleb(np);
    c.end();
    if (np == 1) {
      c.begin(PRED_ACTOR).writeSleb(-1).writeUleb(ops.predActor(0, 0));
      c.end();
      c.begin(PRED_CTR).writeSleb(-1).writeSleb(ops.predCtr(0, 0));
      c.end();
    }
    if (ops.expand(0)) {
      c.begin(EXPAND).writeUleb(0).writeUleb(1);
      c.end();
    }
    String mark = ops.markName(0);
    if (mark != null) {
      c.begin(MARK_NAME).writeSleb(-1).writeString(mark);
      c.end();
    }
    c.writeTo(out);
  }

  /** Scratch for {@link #writeOneOp}: the columns' bytes back to back, with each one's spec and length. */
  private static final class OneOpColumns {
    final ByteWriter data = new ByteWriter(128);
    final int[] spec = new int[16];
    final int[] length = new int[16];
    final ValueColumn.Encoder value = new ValueColumn.Encoder();
    int n;
    int mark;

    void start() {
      data.reset();
      n = 0;
    }

    ByteWriter begin(int columnSpec) {
      spec[n] = columnSpec;
      mark = data.size();
      return data;
    }

    void end() {
      length[n++] = data.size() - mark;
    }

    void column(int columnSpec, byte[] bytes) {
      if (bytes.length > 0) {
        begin(columnSpec).write(bytes);
        end();
      }
    }

    void writeTo(ByteWriter out) {
      out.writeUleb(n);
      for (int i = 0; i < n; i++) {
        out.writeUleb(spec[i]).writeUleb(length[i]);
      }
      out.write(data.array(), 0, data.size());
      if (data.array().length > 1 << 16) {
        ONE_OP.remove(); // a long key or value is not kept for the ops after it
      }
    }
  }

  private static final ThreadLocal<OneOpColumns> ONE_OP = ThreadLocal.withInitial(OneOpColumns::new);

  /** One set of op column encoders per thread, reset for each change: encoding many changes allocates little. */
  private static final class OpEncoders {
    final RleColumn.Encoder objActor = new RleColumn.Encoder(false);
    final RleColumn.Encoder objCtr = new RleColumn.Encoder(false);
    final RleColumn.Encoder keyActor = new RleColumn.Encoder(false);
    final DeltaColumn.Encoder keyCtr = new DeltaColumn.Encoder();
    final StringColumn.Encoder keyStr = new StringColumn.Encoder();
    final BooleanColumn.Encoder insert = new BooleanColumn.Encoder();
    final RleColumn.Encoder action = new RleColumn.Encoder(false);
    final ValueColumn.Encoder value = new ValueColumn.Encoder();
    final RleColumn.Encoder predGroup = new RleColumn.Encoder(false);
    final RleColumn.Encoder predActor = new RleColumn.Encoder(false);
    final DeltaColumn.Encoder predCtr = new DeltaColumn.Encoder();
    final BooleanColumn.Encoder expand = new BooleanColumn.Encoder();
    final StringColumn.Encoder markName = new StringColumn.Encoder();
    /** Whether any op written into these encoders had the expand flag. */
    boolean anyExpand;

    OpEncoders reset() {
      objActor.reset();
      objCtr.reset();
      keyActor.reset();
      keyCtr.reset();
      keyStr.reset();
      insert.reset();
      action.reset();
      value.reset();
      predGroup.reset();
      predActor.reset();
      predCtr.reset();
      expand.reset();
      markName.reset();
      anyExpand = false;
      return this;
    }
  }

  private static final ThreadLocal<OpEncoders> OP_ENCODERS = ThreadLocal.withInitial(OpEncoders::new);

  private static void writeOpColumns(ChangeOpSource ops, ByteWriter out) {
    if (ops.size() == 1 && ops.predCount(0) <= 1) {
      writeOneOp(ops, out);
    } else {
      writeOpColumnsGeneral(ops, out);
    }
  }

  /** The op columns of {@code ops}; with {@code general}, never through the one-op path (tests compare the two). */
  static byte[] opColumnBytes(ChangeOpSource ops, boolean general) {
    ByteWriter out = new ByteWriter(64);
    if (general) {
      writeOpColumnsGeneral(ops, out);
    } else {
      writeOpColumns(ops, out);
    }
    return out.toByteArray();
  }

  /** Ops from which a change's columns are written on two cores, when the source allows it. */
  static final int SPLIT_OPS = 1 << 14;

  private static void writeOpColumnsGeneral(ChangeOpSource ops, ByteWriter out) {
    OpEncoders e = OP_ENCODERS.get().reset();
    OpEncoders v = e;
    if (ops.size() >= SPLIT_OPS && ops.concurrentReads() && OtherCore.available()) {
      // the value, pred, expand and mark columns on the other core, the key columns here; the
      // other side's encoders are its own, made where it runs: encoders side by side in memory
      // would share cache lines that both sides write for every op
      OtherCore<OpEncoders> values = OtherCore.start(() -> writeValueColumns(ops, new OpEncoders()));
      writeKeyColumns(ops, e);
      v = values.join();
    } else {
      writeKeyColumns(ops, e);
      writeValueColumns(ops, e);
    }
    byte[] expandBytes = v.expand.finish();
    new ColumnLayout.Writer()
        .add(OBJ_ACTOR, e.objActor.finish())
        .add(OBJ_CTR, e.objCtr.finish())
        .add(KEY_ACTOR, e.keyActor.finish())
        .add(KEY_CTR, e.keyCtr.finish())
        .add(KEY_STR, e.keyStr.finish())
        .add(INSERT, e.insert.finish())
        .add(ACTION, e.action.finish())
        .add(VAL_META, v.value.finishMeta())
        .add(VAL_RAW, v.value.finishRaw())
        .add(PRED_GROUP, v.predGroup.finish())
        .add(PRED_ACTOR, v.predActor.finish())
        .add(PRED_CTR, v.predCtr.finish())
        .add(EXPAND, v.anyExpand ? expandBytes : new byte[0])
        .add(MARK_NAME, v.markName.finish())
        .writeTo(out);
  }

  /** The object, key, insert and action columns of {@code ops} into {@code e}'s encoders. */
  private static void writeKeyColumns(ChangeOpSource ops, OpEncoders e) {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.objActor(i) < 0) {
        e.objActor.appendNull();
        e.objCtr.appendNull();
      } else {
        e.objActor.append(ops.objActor(i));
        e.objCtr.append(ops.objCtr(i));
      }
      String key = ops.key(i);
      if (key != null) {
        e.keyActor.appendNull();
        e.keyCtr.appendNull();
        e.keyStr.append(key);
      } else {
        if (ops.elemActor(i) < 0) {
          e.keyActor.appendNull();
        } else {
          e.keyActor.append(ops.elemActor(i));
        }
        e.keyCtr.append(ops.elemCtr(i));
        e.keyStr.appendNull();
      }
      e.insert.append(ops.insert(i));
      e.action.append(ops.action(i));
    }
  }

  /** The value, pred, expand and mark-name columns of {@code ops} into {@code e}'s encoders (and whether any op expands); returns {@code e}. */
  private static OpEncoders writeValueColumns(ChangeOpSource ops, OpEncoders e) {
    for (int i = 0; i < ops.size(); i++) {
      e.value.append(ops.value(i));
      int np = ops.predCount(i);
      e.predGroup.append(np);
      for (int k = 0; k < np; k++) {
        e.predActor.append(ops.predActor(i, k));
        e.predCtr.append(ops.predCtr(i, k));
      }
      boolean ex = ops.expand(i);
      e.expand.append(ex);
      e.anyExpand |= ex;
      e.markName.appendNullable(ops.markName(i));
    }
    return e;
  }
}
