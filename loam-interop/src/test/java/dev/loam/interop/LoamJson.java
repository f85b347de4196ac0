package dev.loam.interop;

import dev.loam.Mark;
import dev.loam.ObjType;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts what Loam returns into the JSON shapes the node driver reports, so tests compare like
 * with like: documents as Automerge JS {@code toJS} prints them, typed values as
 * {@code getAll}/{@code getConflicts} report them, and patches as JS's {@code diff} returns them
 * (normalised the same way {@code js/driver.mjs} normalises them).
 */
final class LoamJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final long MAX_DATE_MS = 8_640_000_000_000_000L;

  private LoamJson() {}

  /** A materialised Loam value (maps, lists, text strings, scalars) as JS {@code toJS} JSON. */
  static JsonNode plain(Object v) {
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = F.objectNode();
      m.forEach((k, x) -> o.set((String) k, plain(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = F.arrayNode();
      l.forEach(x -> a.add(plain(x)));
      return a;
    }
    if (v instanceof String s) {
      return F.stringNode(s);
    }
    if (v instanceof ScalarValue s) {
      return scalar(s);
    }
    throw new IllegalArgumentException("materialize returned an unexpected " + (v == null ? "null" : v.getClass()));
  }

  static JsonNode scalar(ScalarValue s) {
    return switch (s) {
      case ScalarValue.Null n -> F.nullNode();
      case ScalarValue.Bool b -> F.booleanNode(b.value());
      case ScalarValue.Int i -> F.numberNode(i.value());
      case ScalarValue.Uint u -> F.numberNode(new BigInteger(Long.toUnsignedString(u.value())));
      case ScalarValue.F64 f -> Double.isFinite(f.value()) ? F.numberNode(f.value() == 0 ? 0.0 : f.value()) : F.nullNode();
      case ScalarValue.Str str -> F.stringNode(str.value());
      case ScalarValue.BytesValue b -> F.stringNode(b.value().base64());
      case ScalarValue.Timestamp t -> isoDate(t.millis());
      case ScalarValue.Counter c -> F.numberNode(c.value());
      case ScalarValue.Unknown u -> F.stringNode(u.bytes().base64());
    };
  }

  /** {@code Date.prototype.toISOString()}, or null where JS has an invalid date. */
  static JsonNode isoDate(long ms) {
    if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) {
      return F.nullNode();
    }
    ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC);
    int y = t.getYear();
    String year = y >= 0 && y <= 9999 ? String.format("%04d", y) : (y < 0 ? "-" : "+") + String.format("%06d", Math.abs(y));
    return F.stringNode(String.format("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", year, t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000));
  }

  /** A value as the driver's {@code typed()} reports it: {type, value} (f64 as a string, bytes as hex). */
  static ObjectNode typed(Value v) {
    ObjectNode o = F.objectNode();
    switch (v) {
      case Value.Obj obj -> {
        o.put("type", obj.type() == ObjType.TABLE ? "table" : obj.type().name().toLowerCase());
        o.put("value", obj.id().toString());
      }
      case ScalarValue s -> {
        switch (s) {
          case ScalarValue.Null n -> o.put("type", "null").set("value", F.nullNode());
          case ScalarValue.Bool b -> o.put("type", "boolean").put("value", b.value());
          case ScalarValue.Int i -> o.put("type", "int").put("value", i.value());
          case ScalarValue.Uint u -> o.put("type", "uint").put("value", new BigInteger(Long.toUnsignedString(u.value())));
          case ScalarValue.F64 f -> o.put("type", "f64").put("value", jsNumberString(f.value()));
          case ScalarValue.Str str -> o.put("type", "str").put("value", str.value());
          case ScalarValue.BytesValue b -> o.put("type", "bytes").put("value", b.value().hex());
          case ScalarValue.Timestamp t -> o.put("type", "timestamp").put("value", t.millis());
          case ScalarValue.Counter c -> o.put("type", "counter").put("value", c.value());
          case ScalarValue.Unknown u -> o.put("type", "unknown" + u.typeCode()).put("value", u.bytes().hex());
        }
      }
    }
    return o;
  }

  /** Whether a JS f64 string (as {@code f64String} writes it) denotes the same double. */
  static String jsNumberString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0" : "0";
    }
    return Double.toString(d); // compared numerically, see sameTyped
  }

  static ArrayNode marks(List<Mark> marks) {
    ArrayNode a = F.arrayNode();
    for (Mark m : marks) {
      ObjectNode o = a.addObject();
      o.put("name", m.name());
      o.set("value", m.value() == null ? F.nullNode() : scalar(m.value()));
      o.put("start", m.start());
      o.put("end", m.end());
    }
    return a;
  }

  static ArrayNode path(List<Prop> path) {
    ArrayNode a = F.arrayNode();
    for (Prop p : path) {
      switch (p) {
        case Prop.Key k -> a.add(k.key());
        case Prop.Index i -> a.add(i.index());
      }
    }
    return a;
  }

  private static JsonNode patchValue(Value v) {
    return switch (v) {
      case Value.Obj o -> switch (o.type()) {
        case MAP, TABLE -> F.objectNode();
        case LIST -> F.arrayNode();
        case TEXT -> F.stringNode("");
      };
      case ScalarValue s -> scalar(s);
    };
  }

  private static ObjectNode markMap(Map<String, ScalarValue> marks) {
    ObjectNode o = F.objectNode();
    if (marks != null) {
      marks.forEach((k, v) -> o.set(k, v == null ? F.nullNode() : scalar(v)));
    }
    return o;
  }

  /** Loam's patches in the driver's normalised JS shape (one entry per mark). */
  static ArrayNode patches(List<Patch> patches) {
    ArrayNode out = F.arrayNode();
    for (Patch p : patches) {
      switch (p) {
        case Patch.Put put -> {
          ObjectNode o = entry(out, "put", p);
          o.set("value", patchValue(put.value()));
          o.put("conflict", put.conflict());
        }
        case Patch.Insert ins -> {
          ObjectNode o = entry(out, "insert", p);
          ArrayNode vals = o.putArray("values");
          ins.values().forEach(v -> vals.add(patchValue(v)));
          o.set("marks", markMap(ins.marks()));
          ArrayNode cs = o.putArray("conflicts");
          for (int i = 0; i < ins.values().size(); i++) {
            cs.add(ins.conflicts() != null && i < ins.conflicts().size() && ins.conflicts().get(i));
          }
        }
        case Patch.SpliceText st -> {
          ObjectNode o = entry(out, "splice", p);
          o.put("value", st.value());
          o.set("marks", markMap(st.marks()));
        }
        case Patch.Delete d -> entry(out, "del", p).put("length", d.length());
        case Patch.Increment inc -> entry(out, "inc", p).put("value", inc.value());
        case Patch.MarkSet ms -> {
          for (Mark m : ms.marks()) {
            ObjectNode o = entry(out, "mark", p);
            o.put("name", m.name());
            o.set("value", m.value() == null ? F.nullNode() : scalar(m.value()));
            o.put("start", m.start());
            o.put("end", m.end());
          }
        }
        case Patch.Conflict c -> entry(out, "conflict", p);
      }
    }
    return out;
  }

  private static ObjectNode entry(ArrayNode out, String action, Patch p) {
    ObjectNode o = out.addObject();
    o.put("action", action);
    o.set("path", path(p.path()));
    return o;
  }

  /** JSON equality with numbers compared by value (JS prints 1.0 as 1) and object keys unordered. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (!new TreeSet<>(a.propertyNames()).equals(new TreeSet<>(b.propertyNames()))) {
        return false;
      }
      for (String k : a.propertyNames()) {
        if (!same(a.get(k), b.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Typed-value equality: f64 values compared as doubles (bit-exact sign of zero, NaN equal to NaN). */
  static boolean sameTyped(JsonNode js, JsonNode loam) {
    if (js.path("type").asString("").equals("f64") && loam.path("type").asString("").equals("f64")) {
      double x = Double.parseDouble(js.get("value").asString());
      double y = Double.parseDouble(loam.get("value").asString());
      return Double.compare(x, y) == 0;
    }
    ObjectNode j = ((ObjectNode) js).deepCopy();
    j.remove("id");
    return same(j, loam);
  }

  /** A stable rendering for failure messages: keys sorted, numbers as plain decimals. */
  static String canonical(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    canonical(n, sb);
    return sb.toString();
  }

  private static void canonical(JsonNode n, StringBuilder sb) {
    if (n == null) {
      sb.append("<missing>");
    } else if (n.isObject()) {
      sb.append('{');
      List<String> keys = new ArrayList<>(new TreeSet<>(n.propertyNames()));
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(NodeDriver.JSON.writeValueAsString(keys.get(i))).append(':');
        canonical(n.get(keys.get(i)), sb);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonical(n.get(i), sb);
      }
      sb.append(']');
    } else if (n.isNumber()) {
      BigDecimal d = n.decimalValue().stripTrailingZeros();
      sb.append(d.scale() < 0 && d.precision() - d.scale() < 22 ? d.toPlainString() : d.toString());
    } else {
      sb.append(NodeDriver.JSON.writeValueAsString(n));
    }
  }
}
