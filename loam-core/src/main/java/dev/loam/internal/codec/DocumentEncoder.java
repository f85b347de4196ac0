package dev.loam.internal.codec;

import static dev.loam.internal.codec.ChangeColumns.ACTION;
import static dev.loam.internal.codec.ChangeColumns.EXPAND;
import static dev.loam.internal.codec.ChangeColumns.ID_ACTOR;
import static dev.loam.internal.codec.ChangeColumns.ID_CTR;
import static dev.loam.internal.codec.ChangeColumns.INSERT;
import static dev.loam.internal.codec.ChangeColumns.KEY_ACTOR;
import static dev.loam.internal.codec.ChangeColumns.KEY_CTR;
import static dev.loam.internal.codec.ChangeColumns.KEY_STR;
import static dev.loam.internal.codec.ChangeColumns.MARK_NAME;
import static dev.loam.internal.codec.ChangeColumns.OBJ_ACTOR;
import static dev.loam.internal.codec.ChangeColumns.OBJ_CTR;
import static dev.loam.internal.codec.ChangeColumns.SUCC_ACTOR;
import static dev.loam.internal.codec.ChangeColumns.SUCC_CTR;
import static dev.loam.internal.codec.ChangeColumns.SUCC_GROUP;
import static dev.loam.internal.codec.ChangeColumns.VAL_META;
import static dev.loam.internal.codec.ChangeColumns.VAL_RAW;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a document chunk, canonically as Automerge does: the same columns, the same omission
 * rules, columns of at least {@link #DEFLATE_THRESHOLD} bytes compressed.
 *
 * <pre>
 * +--------------------+-------------------------------------------------+
 * | actors             | uLEB count, then length-prefixed actor ids      |
 * | heads              | uLEB count, then 32-byte hashes                 |
 * | change col. meta   | uLEB count, then (uLEB spec, uLEB length) pairs |
 * | op col. meta       | likewise                                        |
 * | change col. data   | the change columns back to back                 |
 * | op col. data       | the op columns back to back                     |
 * | heads index        | per head, uLEB row of its change                |
 * +--------------------+-------------------------------------------------+
 * </pre>
 */
public final class DocumentEncoder {
  /** Columns whose uncompressed size is at least this many bytes are deflated (Automerge's DEFLATE_MIN_SIZE). */
  public static final int DEFLATE_THRESHOLD = 256;

  private DocumentEncoder() {}

  /** The whole type-0 chunk for {@code doc}; {@code compress} false writes every column raw. */
  public static byte[] encode(DocumentContents doc, boolean compress) {
    ByteWriter body = new ByteWriter(1024 + doc.ops().count() * 6);
    body.writeUleb(doc.actors().size());
    for (ActorId a : doc.actors()) {
      body.writePrefixed(a.toByteArray());
    }
    body.writeUleb(doc.heads().size());
    for (ChangeHash h : doc.heads()) {
      body.write(h.toByteArray());
    }
    Columns changes = changeColumns(doc.changes(), compress);
    Columns ops = opColumns(doc.ops(), compress);
    Columns.compress(changes, ops);
    changes.writeMetadata(body);
    ops.writeMetadata(body);
    changes.writeData(body);
    ops.writeData(body);
    for (int i : doc.headIndexes()) {
      body.writeUleb(i);
    }
    byte[] b = body.toByteArray();
    return ChunkReader.wrap(ChunkType.DOCUMENT.code(), b, b.length);
  }

  private static Columns changeColumns(DocumentContents.ChangeRows c, boolean compress) {
    var actor = new RleColumn.Encoder(false);
    var seq = new DeltaColumn.Encoder();
    var maxOp = new DeltaColumn.Encoder();
    var time = new DeltaColumn.Encoder();
    var message = new StringColumn.Encoder();
    var depsGroup = new RleColumn.Encoder(false);
    var deps = new DeltaColumn.Encoder();
    var extra = new ValueColumn.Encoder();
    // a column at a time: each loop is tight and reads one of the history's arrays in order
    int n = c.count();
    for (int i = 0; i < n; i++) {
      actor.append(c.actor(i));
    }
    for (int i = 0; i < n; i++) {
      seq.append(c.seq(i));
    }
    for (int i = 0; i < n; i++) {
      maxOp.append(c.maxOp(i));
    }
    for (int i = 0; i < n; i++) {
      time.append(c.time(i));
    }
    for (int i = 0; i < n; i++) {
      message.appendNullable(c.message(i));
    }
    for (int i = 0; i < n; i++) {
      int nd = c.depCount(i);
      depsGroup.append(nd);
      for (int k = 0; k < nd; k++) {
        deps.append(c.dep(i, k));
      }
    }
    for (int i = 0; i < n; i++) {
      extra.appendBytes(c.extraBytes(i));
    }
    return new Columns(compress)
        .add(DocumentChunk.CH_ACTOR, actor.finish())
        .add(DocumentChunk.CH_SEQ, seq.finish())
        .add(DocumentChunk.CH_MAX_OP, maxOp.finish())
        .add(DocumentChunk.CH_TIME, time.finish())
        .add(DocumentChunk.CH_MESSAGE, message.finish())
        .add(DocumentChunk.CH_DEPS_GROUP, depsGroup.finish())
        .add(DocumentChunk.CH_DEPS, deps.finish())
        .add(DocumentChunk.CH_EXTRA_META, extra.finishMeta())
        .add(DocumentChunk.CH_EXTRA_RAW, extra.finishRaw());
  }

  /** Documents of at least this many ops have their op columns written on two cores. */
  static final int SPLIT_OPS = 1 << 14;

  private static Columns opColumns(DocumentContents.OpRows o, boolean compress) {
    KeyColumns keys;
    ValueColumns values;
    if (o.count() >= SPLIT_OPS && o.concurrentReads() && OtherCore.available()) {
      // the value and successor columns on the other core, the object, key and id columns here;
      // each side's encoders are made where they are written: side by side in memory they would
      // share cache lines that both sides write for every op
      OtherCore<ValueColumns> other = OtherCore.start(() -> new ValueColumns().write(o));
      keys = new KeyColumns().write(o);
      values = other.join();
    } else {
      keys = new KeyColumns().write(o);
      values = new ValueColumns().write(o);
    }
    byte[] expand = values.expand.finish();
    return new Columns(compress)
        .add(OBJ_ACTOR, keys.objActor.finish())
        .add(OBJ_CTR, keys.objCtr.finish())
        .add(KEY_ACTOR, keys.keyActor.finish())
        .add(KEY_CTR, keys.keyCtr.finish())
        .add(KEY_STR, keys.keyStr.finish())
        .add(ID_ACTOR, keys.idActor.finish())
        .add(ID_CTR, keys.idCtr.finish())
        .add(INSERT, keys.insert.finish())
        .add(ACTION, keys.action.finish())
        .add(VAL_META, values.value.finishMeta())
        .add(VAL_RAW, values.value.finishRaw())
        .add(SUCC_GROUP, values.succGroup.finish())
        .add(SUCC_ACTOR, values.succActor.finish())
        .add(SUCC_CTR, values.succCtr.finish())
        .add(EXPAND, values.anyExpand ? expand : new byte[0])
        .add(MARK_NAME, values.markName.finish());
  }

  /** The object, key, id, insert and action columns of a document's ops. */
  private static final class KeyColumns {
    final RleColumn.Encoder objActor = new RleColumn.Encoder(false);
    final RleColumn.Encoder objCtr = new RleColumn.Encoder(false);
    final RleColumn.Encoder keyActor = new RleColumn.Encoder(false);
    final DeltaColumn.Encoder keyCtr = new DeltaColumn.Encoder();
    final StringColumn.Encoder keyStr = new StringColumn.Encoder();
    final RleColumn.Encoder idActor = new RleColumn.Encoder(false);
    final DeltaColumn.Encoder idCtr = new DeltaColumn.Encoder();
    final BooleanColumn.Encoder insert = new BooleanColumn.Encoder();
    final RleColumn.Encoder action = new RleColumn.Encoder(false);

    KeyColumns write(DocumentContents.OpRows o) {
      for (int i = 0; i < o.count(); i++) {
        int oa = o.objActor(i);
        if (oa < 0) {
          objActor.appendNull();
          objCtr.appendNull();
        } else {
          objActor.append(oa);
          objCtr.append(o.objCtr(i));
        }
        String key = o.key(i);
        if (key != null) {
          keyActor.appendNull();
          keyCtr.appendNull();
          keyStr.append(key);
        } else {
          int ea = o.elemActor(i);
          if (ea < 0) {
            keyActor.appendNull();
          } else {
            keyActor.append(ea);
          }
          keyCtr.append(o.elemCtr(i));
          keyStr.appendNull();
        }
        idActor.append(o.idActor(i));
        idCtr.append(o.idCtr(i));
        insert.append(o.insert(i));
        action.append(o.action(i));
      }
      return this;
    }
  }

  /** The value, successor, expand and mark-name columns of a document's ops. */
  private static final class ValueColumns {
    final ValueColumn.Encoder value = new ValueColumn.Encoder();
    final RleColumn.Encoder succGroup = new RleColumn.Encoder(false);
    final RleColumn.Encoder succActor = new RleColumn.Encoder(false);
    final DeltaColumn.Encoder succCtr = new DeltaColumn.Encoder();
    final BooleanColumn.Encoder expand = new BooleanColumn.Encoder();
    final StringColumn.Encoder markName = new StringColumn.Encoder();
    /** Whether any op had the expand flag (the column is left out otherwise). */
    boolean anyExpand;

    ValueColumns write(DocumentContents.OpRows o) {
      for (int i = 0; i < o.count(); i++) {
        value.append(o.value(i));
        int sc = o.succCount(i);
        succGroup.append(sc);
        for (int k = 0; k < sc; k++) {
          succActor.append(o.succActor(i, k));
          succCtr.append(o.succCtr(i, k));
        }
        boolean ex = o.expand(i);
        expand.append(ex);
        anyExpand |= ex;
        markName.appendNullable(o.markName(i));
      }
      return this;
    }
  }

  /** Columns in ascending spec order, empty ones left out, large ones deflated (all at once, see {@link Deflate#deflateAll}). */
  private static final class Columns {
    private final boolean compress;
    private final List<Integer> specs = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();

    Columns(boolean compress) {
      this.compress = compress;
    }

    Columns add(int spec, byte[] column) {
      if (column.length > 0) {
        specs.add(spec);
        data.add(column);
      }
      return this;
    }

    /** Deflates the large columns of {@code sets} together, in place. */
    static void compress(Columns... sets) {
      List<byte[]> large = new ArrayList<>();
      for (Columns c : sets) {
        for (int i = 0; i < c.data.size(); i++) {
          if (c.compress && c.data.get(i).length >= DEFLATE_THRESHOLD) {
            large.add(c.data.get(i));
          }
        }
      }
      if (large.isEmpty()) {
        return;
      }
      List<byte[]> deflated = Deflate.deflateAll(large);
      int k = 0;
      for (Columns c : sets) {
        for (int i = 0; i < c.data.size(); i++) {
          if (c.compress && c.data.get(i).length >= DEFLATE_THRESHOLD) {
            c.specs.set(i, c.specs.get(i) | ColumnLayout.DEFLATE_BIT);
            c.data.set(i, deflated.get(k++));
          }
        }
      }
    }

    void writeMetadata(ByteWriter out) {
      out.writeUleb(specs.size());
      for (int i = 0; i < specs.size(); i++) {
        out.writeUleb(specs.get(i)).writeUleb(data.get(i).length);
      }
    }

    void writeData(ByteWriter out) {
      for (byte[] d : data) {
        out.write(d);
      }
    }
  }
}
