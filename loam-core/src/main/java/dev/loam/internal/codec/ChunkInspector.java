package dev.loam.internal.codec;

import dev.loam.ChangeHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the column metadata of change and document chunks for debugging tools ({@code loam doc
 * examine}): which columns a chunk stores, how each is encoded, and how many bytes it takes. The
 * rows themselves come from {@link ChangeChunk#decode} and {@link DocumentChunk#decode}.
 * Stateless and thread-safe.
 */
public final class ChunkInspector {
  private ChunkInspector() {}

  /**
   * One stored column.
   *
   * @param spec the spec as stored, deflate bit included
   * @param id the column id ({@code spec >> 4})
   * @param type the column type ({@code spec & 7}), see {@link #typeName}
   * @param deflated whether the data is DEFLATE-compressed (document chunks only)
   * @param length the stored byte length of the data
   * @param name what the column holds, or null for a column this version does not know
   */
  public record Column(int spec, int id, int type, boolean deflated, long length, String name) {
    public String typeName() {
      return ChunkInspector.typeName(type);
    }
  }

  /**
   * The columns of a chunk: for a change chunk, {@code changeColumns} is empty and {@code
   * opColumns} are the change's op columns; for a document chunk, both sections.
   */
  public record Layout(List<Column> changeColumns, List<Column> opColumns) {}

  /** The column layout of a change or document chunk read by {@link ChunkReader}. */
  public static Layout layout(Chunk chunk) {
    ByteReader in = chunk.bodyReader();
    if (chunk.type() == ChunkType.DOCUMENT) {
      int actors = (int) in.readUleb(0, in.remaining(), "number of actors");
      for (int i = 0; i < actors; i++) {
        in.readBytes(in.readLength("actor length"), "actor");
      }
      int heads = (int) in.readUleb(0, in.remaining() / ChangeHash.LENGTH, "number of heads");
      in.readBytes((long) heads * ChangeHash.LENGTH, "head hashes");
      List<Column> changes = columns(ColumnLayout.read(in, true, "document changes"), true);
      List<Column> ops = columns(ColumnLayout.read(in, true, "document ops"), false);
      return new Layout(changes, ops);
    }
    int deps = (int) in.readUleb(0, in.remaining() / ChangeHash.LENGTH, "number of deps");
    in.readBytes((long) deps * ChangeHash.LENGTH, "dependency hashes");
    in.readBytes(in.readLength("author length"), "author");
    in.readUleb(); // seq
    in.readUleb(); // startOp
    in.readSleb(); // time
    in.readString("message");
    int others = (int) in.readUleb(0, in.remaining(), "number of other actors");
    for (int i = 0; i < others; i++) {
      in.readBytes(in.readLength("actor length"), "actor");
    }
    return new Layout(List.of(), columns(ColumnLayout.read(in, false, "change ops"), false));
  }

  private static List<Column> columns(ColumnLayout layout, boolean changeSection) {
    List<Column> out = new ArrayList<>(layout.count());
    for (int i = 0; i < layout.count(); i++) {
      int spec = layout.spec(i);
      int normal = spec & ~ColumnLayout.DEFLATE_BIT;
      out.add(new Column(spec, spec >>> 4, spec & 7, (spec & ColumnLayout.DEFLATE_BIT) != 0, layout.length(i),
          changeSection ? changeColumnName(normal) : opColumnName(normal)));
    }
    return List.copyOf(out);
  }

  /** Automerge's name for a column type: group, actor, uleb, delta, boolean, string, valueMeta, value. */
  public static String typeName(int type) {
    return switch (type) {
      case 0 -> "group";
      case 1 -> "actor";
      case 2 -> "uleb";
      case 3 -> "delta";
      case 4 -> "boolean";
      case 5 -> "string";
      case 6 -> "valueMeta";
      case 7 -> "value";
      default -> throw new IllegalArgumentException("column types are 0 to 7, not " + type);
    };
  }

  private static String opColumnName(int spec) {
    return switch (spec) {
      case ChangeColumns.OBJ_ACTOR -> "objActor";
      case ChangeColumns.OBJ_CTR -> "objCtr";
      case ChangeColumns.KEY_ACTOR -> "keyActor";
      case ChangeColumns.KEY_CTR -> "keyCtr";
      case ChangeColumns.KEY_STR -> "keyStr";
      case ChangeColumns.ID_ACTOR -> "idActor";
      case ChangeColumns.ID_CTR -> "idCtr";
      case ChangeColumns.INSERT -> "insert";
      case ChangeColumns.ACTION -> "action";
      case ChangeColumns.VAL_META -> "valueMeta";
      case ChangeColumns.VAL_RAW -> "value";
      case ChangeColumns.PRED_GROUP -> "predGroup";
      case ChangeColumns.PRED_ACTOR -> "predActor";
      case ChangeColumns.PRED_CTR -> "predCtr";
      case ChangeColumns.SUCC_GROUP -> "succGroup";
      case ChangeColumns.SUCC_ACTOR -> "succActor";
      case ChangeColumns.SUCC_CTR -> "succCtr";
      case ChangeColumns.EXPAND -> "expand";
      case ChangeColumns.MARK_NAME -> "markName";
      default -> null;
    };
  }

  private static String changeColumnName(int spec) {
    return switch (spec) {
      case DocumentChunk.CH_ACTOR -> "actor";
      case DocumentChunk.CH_SEQ -> "seq";
      case DocumentChunk.CH_MAX_OP -> "maxOp";
      case DocumentChunk.CH_TIME -> "time";
      case DocumentChunk.CH_MESSAGE -> "message";
      case DocumentChunk.CH_DEPS_GROUP -> "depsGroup";
      case DocumentChunk.CH_DEPS -> "depsIndex";
      case DocumentChunk.CH_EXTRA_META -> "extraMeta";
      case DocumentChunk.CH_EXTRA_RAW -> "extra";
      default -> null;
    };
  }
}
