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
    var keys = new KeyColumns();
    var values = new ValueColumns();
    if (o.count() >= SPLIT_OPS && o.concurrentReads() && OtherCore.available()) {
      // the value and successor columns on the other core, the object, key and id columns here
      OtherCore<ValueColumns> other = OtherCore.start(() -> values.write(o));
      keys.write(o);
      other.join();
    } else {
      keys.write(o);
      values.write(o);
    }
    return new Columns(compress)
        .add(OBJ_ACTOR, keys.objActor)
        .add(OBJ_CTR, keys.objCtr)
        .add(KEY_ACTOR, keys.keyActor)
        .add(KEY_CTR, keys.keyCtr)
        .add(KEY_STR, keys.keyStr)
        .add(ID_ACTOR, keys.idActor)
        .add(ID_CTR, keys.idCtr)
        .add(INSERT, keys.insert)
        .add(ACTION, keys.action)
        .add(VAL_META, values.valMeta)
        .add(VAL_RAW, values.valRaw)
        .add(SUCC_GROUP, values.succGroup)
        .add(SUCC_ACTOR, values.succActor)
        .add(SUCC_CTR, values.succCtr)
        .add(EXPAND, values.expand)
        .add(MARK_NAME, values.markName);
  }

  /** The object, key, id, insert and action columns of a document's ops. */
  private static final class KeyColumns {
    byte[] objActor;
    byte[] objCtr;
    byte[] keyActor;
    byte[] keyCtr;
    byte[] keyStr;
    byte[] idActor;
    byte[] idCtr;
    byte[] insert;
    byte[] action;

    KeyColumns write(DocumentContents.OpRows o) {
      var objActorE = new RleColumn.Encoder(false);
      var objCtrE = new RleColumn.Encoder(false);
      var keyActorE = new RleColumn.Encoder(false);
      var keyCtrE = new DeltaColumn.Encoder();
      var keyStrE = new StringColumn.Encoder();
      var idActorE = new RleColumn.Encoder(false);
      var idCtrE = new DeltaColumn.Encoder();
      var insertE = new BooleanColumn.Encoder();
      var actionE = new RleColumn.Encoder(false);
      for (int i = 0; i < o.count(); i++) {
        int oa = o.objActor(i);
        if (oa < 0) {
          objActorE.appendNull();
          objCtrE.appendNull();
        } else {
          objActorE.append(oa);
          objCtrE.append(o.objCtr(i));
        }
        String key = o.key(i);
        if (key != null) {
          keyActorE.appendNull();
          keyCtrE.appendNull();
          keyStrE.append(key);
        } else {
          int ea = o.elemActor(i);
          if (ea < 0) {
            keyActorE.appendNull();
          } else {
            keyActorE.append(ea);
          }
          keyCtrE.append(o.elemCtr(i));
          keyStrE.appendNull();
        }
        idActorE.append(o.idActor(i));
        idCtrE.append(o.idCtr(i));
        insertE.append(o.insert(i));
        actionE.append(o.action(i));
      }
      objActor = objActorE.finish();
      objCtr = objCtrE.finish();
      keyActor = keyActorE.finish();
      keyCtr = keyCtrE.finish();
      keyStr = keyStrE.finish();
      idActor = idActorE.finish();
      idCtr = idCtrE.finish();
      insert = insertE.finish();
      action = actionE.finish();
      return this;
    }
  }

  /** The value, successor, expand and mark-name columns of a document's ops. */
  private static final class ValueColumns {
    byte[] valMeta;
    byte[] valRaw;
    byte[] succGroup;
    byte[] succActor;
    byte[] succCtr;
    byte[] expand;
    byte[] markName;

    ValueColumns write(DocumentContents.OpRows o) {
      var valueE = new ValueColumn.Encoder();
      var succGroupE = new RleColumn.Encoder(false);
      var succActorE = new RleColumn.Encoder(false);
      var succCtrE = new DeltaColumn.Encoder();
      var expandE = new BooleanColumn.Encoder();
      var markNameE = new StringColumn.Encoder();
      boolean anyExpand = false;
      for (int i = 0; i < o.count(); i++) {
        valueE.append(o.value(i));
        int sc = o.succCount(i);
        succGroupE.append(sc);
        for (int k = 0; k < sc; k++) {
          succActorE.append(o.succActor(i, k));
          succCtrE.append(o.succCtr(i, k));
        }
        boolean ex = o.expand(i);
        expandE.append(ex);
        anyExpand |= ex;
        markNameE.appendNullable(o.markName(i));
      }
      valMeta = valueE.finishMeta();
      valRaw = valueE.finishRaw();
      succGroup = succGroupE.finish();
      succActor = succActorE.finish();
      succCtr = succCtrE.finish();
      byte[] expandBytes = expandE.finish();
      expand = anyExpand ? expandBytes : new byte[0];
      markName = markNameE.finish();
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
