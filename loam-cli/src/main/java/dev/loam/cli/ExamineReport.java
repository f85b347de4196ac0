package dev.loam.cli;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.Chunk;
import dev.loam.internal.codec.ChunkInspector;
import dev.loam.internal.codec.ChunkReader;
import dev.loam.internal.codec.ChunkType;
import dev.loam.internal.codec.DocumentChunk;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code loam doc examine} shows of a file, built once and rendered as text or JSON: per
 * chunk a few header lines and fields, then tables whose rows are capped at a limit.
 *
 * <p>Text shows actor references as indexes into the chunk's actor table ({@code 5@1}, {@code
 * _root}, {@code _head}); JSON spells them out ({@code 5@aabb…}).
 */
final class ExamineReport {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  /** A table: its rows up to the limit, in text and JSON form, and how many rows it has in all. */
  record Table(String name, List<String> headers, List<String[]> text, ArrayNode json, int total) {}

  /** One chunk: a summary line, further text lines, JSON fields, and tables. */
  record ChunkSection(String summary, List<String> lines, ObjectNode json, List<Table> tables) {}

  final long length;
  final List<ChunkSection> chunks = new ArrayList<>();
  private final int limit;

  private ExamineReport(long length, int limit) {
    this.length = length;
    this.limit = limit <= 0 ? Integer.MAX_VALUE : limit;
  }

  /**
   * Examines {@code file}.
   *
   * @param limit rows per table at most; 0 for all
   * @throws DecodeException if the file, or a chunk in it, is not valid
   */
  static ExamineReport of(byte[] file, int limit) {
    ExamineReport r = new ExamineReport(file.length, limit);
    List<Chunk> chunks = ChunkReader.readAll(file);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      try {
        r.chunks.add(c.type() == ChunkType.DOCUMENT ? r.document(i, c) : r.change(i, c));
      } catch (DecodeException e) {
        throw new DecodeException(e.offset(), e.expected() + " (in chunk " + i + " at offset " + c.offset() + ")");
      }
    }
    return r;
  }

  private ObjectNode chunkJson(int index, Chunk c) {
    ObjectNode o = NODES.objectNode();
    o.put("index", index);
    o.put("offset", c.offset());
    o.put("type", typeName(c.type()));
    o.put("length", c.storedLength());
    o.put("checksum", checksum(c));
    o.put("hash", c.hash().hex());
    if (c.type() == ChunkType.DEFLATED_CHANGE) {
      o.put("inflatedLength", c.bytes().length);
    }
    return o;
  }

  private static String summary(int index, Chunk c) {
    String s = "chunk " + index + " at offset " + c.offset() + ": " + typeName(c.type()) + ", " + c.storedLength()
        + " bytes, checksum " + checksum(c) + ", hash " + c.hash().hex();
    return c.type() == ChunkType.DEFLATED_CHANGE ? s + " (" + c.bytes().length + " bytes inflated)" : s;
  }

  private ChunkSection document(int index, Chunk c) {
    ChunkInspector.Layout layout = ChunkInspector.layout(c);
    DocumentChunk.Contents doc = DocumentChunk.decode(c);
    List<ActorId> actors = doc.actors();
    ObjectNode json = chunkJson(index, c);
    List<Table> tables = new ArrayList<>();
    tables.add(actorTable("actors", actors, 0));
    tables.add(hashTable("heads", doc.heads()));
    tables.add(columnTable("change columns", layout.changeColumns()));
    tables.add(columnTable("op columns", layout.opColumns()));
    tables.add(changeRows(doc.changes(), actors));
    tables.add(docOpRows(doc.ops(), actors));
    return new ChunkSection(summary(index, c), List.of(), json, tables);
  }

  private ChunkSection change(int index, Chunk c) {
    ChunkInspector.Layout layout = ChunkInspector.layout(c);
    StoredChange ch = ChangeChunk.decode(c);
    ObjectNode json = chunkJson(index, c);
    json.put("actor", ch.author().hex());
    json.put("seq", ch.seq());
    json.put("startOp", ch.startOp());
    json.put("time", ch.time());
    if (ch.message() == null) {
      json.putNull("message");
    } else {
      json.put("message", ch.message());
    }
    json.put("extraBytes", HEX.formatHex(ch.extraBytes()));
    String line = "actor " + ch.author().hex() + ", seq " + ch.seq() + ", startOp " + ch.startOp() + ", time "
        + ch.time() + ", message " + (ch.message() == null ? "none" : quote(ch.message()));
    if (ch.extraBytes().length > 0) {
      line += ", " + ch.extraBytes().length + " extra bytes";
    }
    List<Table> tables = new ArrayList<>();
    tables.add(hashTable("deps", ch.deps()));
    tables.add(actorTable("other actors", ch.actors().subList(1, ch.actors().size()), 1));
    tables.add(columnTable("op columns", layout.opColumns()));
    tables.add(changeOpRows(ch));
    return new ChunkSection(summary(index, c), List.of(line), json, tables);
  }

  private final class Builder {
    final String name;
    final List<String> headers;
    final List<String[]> text = new ArrayList<>();
    final ArrayNode json = NODES.arrayNode();
    int total;

    Builder(String name, String... headers) {
      this.name = name;
      this.headers = List.of(headers);
    }

    /** Counts a row; true while rows are still shown, when the caller then calls {@link #add}. */
    boolean wants() {
      total++;
      return total <= limit;
    }

    void add(String[] cells, ObjectNode row) {
      text.add(cells);
      json.add(row);
    }

    Table build() {
      return new Table(name, headers, text, json, total);
    }
  }

  private Table actorTable(String name, List<ActorId> actors, int firstIndex) {
    Builder b = new Builder(name, "index", "actor");
    for (int i = 0; i < actors.size(); i++) {
      if (b.wants()) {
        ObjectNode row = NODES.objectNode().put("index", i + firstIndex).put("actor", actors.get(i).hex());
        b.add(new String[] {String.valueOf(i + firstIndex), actors.get(i).hex()}, row);
      }
    }
    return b.build();
  }

  private Table hashTable(String name, List<ChangeHash> hashes) {
    Builder b = new Builder(name, "hash");
    for (ChangeHash h : hashes) {
      if (b.wants()) {
        b.add(new String[] {h.hex()}, NODES.objectNode().put("hash", h.hex()));
      }
    }
    return b.build();
  }

  private Table columnTable(String name, List<ChunkInspector.Column> columns) {
    Builder b = new Builder(name, "spec", "id", "type", "deflated", "bytes", "name");
    for (ChunkInspector.Column col : columns) {
      if (b.wants()) {
        ObjectNode row = NODES.objectNode()
            .put("spec", col.spec()).put("id", col.id()).put("type", col.typeName())
            .put("deflated", col.deflated()).put("bytes", col.length());
        if (col.name() == null) {
          row.putNull("name");
        } else {
          row.put("name", col.name());
        }
        b.add(new String[] {
          String.valueOf(col.spec()), String.valueOf(col.id()), col.typeName(), col.deflated() ? "yes" : "no",
          String.valueOf(col.length()), col.name() == null ? "(unknown)" : col.name()
        }, row);
      }
    }
    return b.build();
  }

  private Table changeRows(List<StoredChange> changes, List<ActorId> actors) {
    Builder b = new Builder("changes", "row", "hash", "actor", "seq", "maxOp", "time", "message", "deps");
    Map<ChangeHash, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      rowOf.put(changes.get(i).hash(), i);
    }
    for (int i = 0; i < changes.size(); i++) {
      if (!b.wants()) {
        continue;
      }
      StoredChange c = changes.get(i);
      StringBuilder deps = new StringBuilder();
      ArrayNode depJson = NODES.arrayNode();
      for (ChangeHash d : c.deps()) {
        deps.append(deps.isEmpty() ? "" : ",").append(rowOf.getOrDefault(d, -1));
        depJson.add(d.hex());
      }
      ObjectNode row = NODES.objectNode().put("row", i).put("hash", c.hash().hex()).put("actor", c.author().hex())
          .put("seq", c.seq()).put("maxOp", c.maxOp()).put("time", c.time());
      if (c.message() == null) {
        row.putNull("message");
      } else {
        row.put("message", c.message());
      }
      row.set("deps", depJson);
      b.add(new String[] {
        String.valueOf(i), c.hash().hex().substring(0, 12), String.valueOf(actors.indexOf(c.author())),
        String.valueOf(c.seq()), String.valueOf(c.maxOp()), String.valueOf(c.time()),
        c.message() == null ? "" : quote(c.message()), deps.toString()
      }, row);
    }
    return b.build();
  }

  private Table docOpRows(DocumentChunk.DocOps ops, List<ActorId> actors) {
    Builder b = new Builder("ops", "id", "obj", "key", "insert", "action", "value", "succ", "mark");
    for (int r = 0; r < ops.rows; r++) {
      if (!b.wants()) {
        continue;
      }
      int from = ops.succStart[r];
      int to = ops.succStart[r + 1];
      long[] succCtr = Arrays.copyOfRange(ops.succCtr, from, to);
      int[] succActor = Arrays.copyOfRange(ops.succActor, from, to);
      Op op = new Op(actors, ops.idCtr[r], ops.idActor[r], ops.objCtr[r], ops.objActor[r], ops.keyStr[r],
          ops.keyCtr[r], ops.keyActor[r], ops.insert[r], ops.action[r], ops.value[r], succCtr, succActor,
          ops.expand[r], ops.markName[r]);
      b.add(op.text(), op.json("succ"));
    }
    return b.build();
  }

  private Table changeOpRows(StoredChange ch) {
    Builder b = new Builder("ops", "id", "obj", "key", "insert", "action", "value", "pred", "mark");
    List<ChangeOp> ops = ch.ops();
    for (int i = 0; i < ops.size(); i++) {
      if (!b.wants()) {
        continue;
      }
      ChangeOp o = ops.get(i);
      Op op = new Op(ch.actors(), ch.startOp() + i, 0, o.objCtr(), o.objActor(), o.key(), o.elemCtr(),
          o.elemActor(), o.insert(), o.action(), o.value(), o.predCtr(), o.predActor(), o.expand(), o.markName());
      b.add(op.text(), op.json("pred"));
    }
    return b.build();
  }

  /**
   * One op row, whatever chunk it came from. Actor fields index {@code actors}; -1 is the root
   * object, or (with a null key and counter 0) the head of a sequence.
   */
  private record Op(List<ActorId> actors, long idCtr, int idActor, long objCtr, int objActor, String key,
      long elemCtr, int elemActor, boolean insert, int action, ScalarValue value, long[] refCtr, int[] refActor,
      boolean expand, String markName) {

    String[] text() {
      StringBuilder refs = new StringBuilder();
      for (int i = 0; i < refCtr.length; i++) {
        refs.append(i == 0 ? "" : ",").append(refCtr[i]).append('@').append(refActor[i]);
      }
      String keyText = key != null ? quote(key) : elemActor < 0 ? "_head" : elemCtr + "@" + elemActor;
      String mark = markName == null ? (expand ? "expand" : "") : quote(markName) + (expand ? " expand" : "");
      return new String[] {
        idCtr + "@" + idActor, objActor < 0 ? "_root" : objCtr + "@" + objActor, keyText,
        String.valueOf(insert), Actions.name(action), valueText(value), refs.toString(), mark
      };
    }

    ObjectNode json(String refsName) {
      ObjectNode o = NODES.objectNode();
      o.put("id", id(idCtr, idActor));
      o.put("obj", objActor < 0 ? "_root" : id(objCtr, objActor));
      if (key != null) {
        o.put("key", key);
      } else {
        o.put("elemId", elemActor < 0 ? "_head" : id(elemCtr, elemActor));
      }
      o.put("insert", insert);
      o.put("action", Actions.name(action));
      o.set("value", valueJson(value));
      ArrayNode refs = o.putArray(refsName);
      for (int i = 0; i < refCtr.length; i++) {
        refs.add(id(refCtr[i], refActor[i]));
      }
      if (expand) {
        o.put("expand", true);
      }
      if (markName != null) {
        o.put("markName", markName);
      }
      return o;
    }

    private String id(long ctr, int actor) {
      return ctr + "@" + actors.get(actor).hex();
    }
  }

  static String typeName(ChunkType t) {
    return switch (t) {
      case DOCUMENT -> "document";
      case CHANGE -> "change";
      case DEFLATED_CHANGE -> "deflated change";
    };
  }

  private static String checksum(Chunk c) {
    return HEX.formatHex(c.bytes(), 4, 8);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    dev.loam.internal.json.JsonWriter.appendString(sb, s);
    return sb.toString();
  }

  /** A value as text: strings quoted, other types but int, bool and null tagged with their type. */
  static String valueText(ScalarValue v) {
    return switch (v) {
      case ScalarValue.Null n -> "null";
      case ScalarValue.Bool b -> String.valueOf(b.value());
      case ScalarValue.Int i -> String.valueOf(i.value());
      case ScalarValue.Uint u -> "uint " + Long.toUnsignedString(u.value());
      case ScalarValue.F64 f -> "f64 " + f.value();
      case ScalarValue.Str str -> quote(str.value());
      case ScalarValue.BytesValue by -> "bytes " + HEX.formatHex(by.value().toByteArray());
      case ScalarValue.Timestamp t -> "timestamp " + t.millis();
      case ScalarValue.Counter c -> "counter " + c.value();
      case ScalarValue.Unknown u -> "unknown" + u.typeCode() + " " + HEX.formatHex(u.bytes().toByteArray());
    };
  }

  /** A value as JSON: {@code {"type": ..., "value": ...}}; bytes as hex, non-finite floats as strings. */
  static JsonNode valueJson(ScalarValue v) {
    ObjectNode o = NODES.objectNode();
    switch (v) {
      case ScalarValue.Null n -> o.put("type", "null");
      case ScalarValue.Bool b -> o.put("type", "boolean").put("value", b.value());
      case ScalarValue.Int i -> o.put("type", "int").put("value", i.value());
      case ScalarValue.Uint u -> o.put("type", "uint").put("value", new BigInteger(Long.toUnsignedString(u.value())));
      case ScalarValue.F64 f -> {
        o.put("type", "f64");
        if (Double.isFinite(f.value())) {
          o.put("value", f.value());
        } else {
          o.put("value", String.valueOf(f.value()));
        }
      }
      case ScalarValue.Str str -> o.put("type", "str").put("value", str.value());
      case ScalarValue.BytesValue by -> o.put("type", "bytes").put("value", HEX.formatHex(by.value().toByteArray()));
      case ScalarValue.Timestamp t -> o.put("type", "timestamp").put("value", t.millis());
      case ScalarValue.Counter c -> o.put("type", "counter").put("value", c.value());
      case ScalarValue.Unknown u -> o.put("type", "unknown").put("code", u.typeCode())
          .put("value", HEX.formatHex(u.bytes().toByteArray()));
    }
    return o;
  }
}
