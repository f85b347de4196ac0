package dev.loam.interop;

import dev.loam.ExpandMark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Replays the driver's script ops (see {@code js/script.mjs}) through Loam's {@link Transaction}. */
final class Script {
  private Script() {}

  static ScalarValue value(JsonNode v) {
    JsonNode x = v.get("v");
    return switch (v.get("t").asString()) {
      case "str" -> ScalarValue.of(x.asString());
      case "int" -> ScalarValue.of(x.asLong());
      case "uint" -> ScalarValue.uint(x.asLong());
      case "f64" -> ScalarValue.of(Double.parseDouble(x.asString()));
      case "bool" -> ScalarValue.of(x.asBoolean());
      case "null" -> ScalarValue.NULL;
      case "bytes" -> ScalarValue.bytes(java.util.HexFormat.of().parseHex(x.asString()));
      case "timestamp" -> ScalarValue.timestamp(x.asLong());
      case "counter" -> ScalarValue.counter(x.asLong());
      default -> throw new IllegalArgumentException("unknown script value " + v);
    };
  }

  static ObjType objType(String t) {
    return ObjType.valueOf(t.toUpperCase(Locale.ROOT));
  }

  static ExpandMark expand(String e) {
    return ExpandMark.valueOf(e.toUpperCase(Locale.ROOT));
  }

  /**
   * Applies one op. For object creation, returns the id Loam assigned and the id JS assigned
   * (the caller compares them); otherwise null.
   */
  static String[] apply(Transaction tx, JsonNode op) {
    ObjId obj = ObjId.parse(op.get("obj").asString());
    boolean byKey = op.has("key");
    String key = byKey ? op.get("key").asString() : null;
    int index = op.has("index") ? op.get("index").asInt() : -1;
    switch (op.get("op").asString()) {
      case "put" -> {
        if (byKey) {
          tx.put(obj, key, value(op.get("value")));
        } else {
          tx.put(obj, index, value(op.get("value")));
        }
      }
      case "putObject" -> {
        ObjId made = byKey ? tx.putObject(obj, key, objType(op.get("type").asString()))
            : tx.putObject(obj, index, objType(op.get("type").asString()));
        return new String[] {made.toString(), op.get("result").asString()};
      }
      case "insert" -> tx.insert(obj, index, value(op.get("value")));
      case "insertObject" -> {
        ObjId made = tx.insertObject(obj, index, objType(op.get("type").asString()));
        return new String[] {made.toString(), op.get("result").asString()};
      }
      case "delete" -> {
        if (byKey) {
          tx.delete(obj, key);
        } else {
          tx.delete(obj, index);
        }
      }
      case "increment" -> {
        if (byKey) {
          tx.increment(obj, key, op.get("by").asLong());
        } else {
          tx.increment(obj, index, op.get("by").asLong());
        }
      }
      case "splice" -> {
        List<ScalarValue> values = new ArrayList<>();
        for (JsonNode v : op.get("values")) {
          values.add(value(v));
        }
        tx.splice(obj, index, op.get("del").asInt(), values);
      }
      case "spliceText" -> tx.spliceText(obj, index, op.get("del").asInt(), op.get("text").asString());
      case "mark" -> tx.mark(obj, op.get("start").asInt(), op.get("end").asInt(), op.get("name").asString(),
          value(op.get("value")), expand(op.get("expand").asString()));
      case "unmark" -> tx.unmark(obj, op.get("start").asInt(), op.get("end").asInt(), op.get("name").asString(),
          expand(op.get("expand").asString()));
      default -> throw new IllegalArgumentException("unknown script op " + op);
    }
    return null;
  }
}
