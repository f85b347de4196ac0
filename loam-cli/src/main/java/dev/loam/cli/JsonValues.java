package dev.loam.cli;

import dev.loam.KeyOrder;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns JSON into document values, typed as Automerge JS 3 types the same JavaScript value:
 * objects become maps, arrays lists, strings <em>text</em> objects, integral numbers that fit 64
 * bits ints (so {@code 1.0} and {@code 1e3} are ints), other numbers f64, and booleans and null
 * themselves. Numbers are read exactly: {@code 9007199254740993} is that int, not the nearest
 * double as in JavaScript.
 */
public final class JsonValues {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private JsonValues() {}

  /** The types {@code --as} can give a value. */
  public enum As {
    COUNTER, INT, UINT, F64, TIMESTAMP, BYTES, STR, TEXT;

    /** The type named {@code name} (lower case), as {@code --as} takes it; a {@link CliException} for any other. */
    public static As parse(String name) {
      for (As a : values()) {
        if (a.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
          return a;
        }
      }
      throw new CliException("--as takes counter, int, uint, f64, timestamp, bytes, str or text, not \"" + name + "\"");
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Where a value goes: a map key or a list index, replacing (put) or inserting before it. */
  record Slot(ObjId obj, String key, int index, boolean insert) {
    static Slot key(ObjId obj, String key) {
      return new Slot(obj, key, -1, false);
    }

    static Slot at(ObjId obj, int index) {
      return new Slot(obj, null, index, false);
    }

    static Slot insertAt(ObjId obj, int index) {
      return new Slot(obj, null, index, true);
    }

    void put(Transaction tx, ScalarValue v) {
      if (key != null) {
        tx.put(obj, key, v);
      } else if (insert) {
        tx.insert(obj, index, v);
      } else {
        tx.put(obj, index, v);
      }
    }

    ObjId putObject(Transaction tx, ObjType type) {
      if (key != null) {
        return tx.putObject(obj, key, type);
      } else if (insert) {
        return tx.insertObject(obj, index, type);
      } else {
        return tx.putObject(obj, index, type);
      }
    }
  }

  static JsonNode parse(String json, String what) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException e) {
      String hint = json.isEmpty() || "{[\"-0123456789tfn".indexOf(json.charAt(0)) >= 0
          ? ""
          : " (a string is written in quotes: '\"" + json + "\"')";
      throw new CliException(what + ": not JSON: " + json + hint);
    }
  }

  static JsonNode parseFile(Path file) {
    String text = new String(DocFiles.read(file), java.nio.charset.StandardCharsets.UTF_8);
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new CliException(file + " is not JSON: " + Main.oneLine(e.getOriginalMessage()));
    }
  }

  /**
   * Writes {@code node} into {@code slot}, typed as Automerge JS types the JavaScript value, with
   * the operations in Automerge JS's order: an object or array is created, then filled breadth
   * first — each container's direct children (map keys in code point order, list elements in
   * order) are written before the contents of any nested container, which wait in a queue.
   */
  static void write(Transaction tx, Slot slot, JsonNode node) {
    ArrayDeque<Pending> queue = new ArrayDeque<>();
    writeShallow(tx, slot, node, queue);
    while (!queue.isEmpty()) {
      Pending p = queue.removeFirst();
      if (p.node.isObject()) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(p.node.properties());
        entries.sort((a, b) -> KeyOrder.compare(a.getKey(), b.getKey()));
        for (Map.Entry<String, JsonNode> e : entries) {
          writeShallow(tx, Slot.key(p.obj, e.getKey()), e.getValue(), queue);
        }
      } else if (p.node.isArray()) {
        int i = 0;
        for (JsonNode element : p.node.values()) {
          writeShallow(tx, Slot.insertAt(p.obj, i++), element, queue);
        }
      } else if (!p.node.stringValue().isEmpty()) {
        tx.spliceText(p.obj, 0, 0, p.node.stringValue());
      }
    }
  }

  /** A created container whose contents are still to be written. */
  private record Pending(ObjId obj, JsonNode node) {}

  /** Writes a scalar, or creates an empty container and queues its contents. */
  private static void writeShallow(Transaction tx, Slot slot, JsonNode node, ArrayDeque<Pending> queue) {
    if (node.isObject()) {
      queue.addLast(new Pending(slot.putObject(tx, ObjType.MAP), node));
    } else if (node.isArray()) {
      queue.addLast(new Pending(slot.putObject(tx, ObjType.LIST), node));
    } else if (node.isString()) {
      queue.addLast(new Pending(slot.putObject(tx, ObjType.TEXT), node));
    } else {
      slot.put(tx, scalar(node));
    }
  }

  /** Writes {@code node} into {@code slot} as the type {@code as}. */
  static void write(Transaction tx, Slot slot, JsonNode node, As as) {
    if (as == As.TEXT) {
      if (!node.isString()) {
        throw new CliException("--as text needs a JSON string");
      }
      write(tx, slot, node);
      return;
    }
    slot.put(tx, typed(node, as));
  }

  static ScalarValue typed(JsonNode node, As as) {
    return switch (as) {
      case COUNTER -> ScalarValue.counter(signed(node, as));
      case INT -> ScalarValue.of(signed(node, as));
      case TIMESTAMP -> ScalarValue.timestamp(signed(node, as));
      case UINT -> {
        BigInteger v = integral(node, as);
        if (v == null || v.signum() < 0 || v.compareTo(TWO_TO_64) >= 0) {
          throw new CliException("--as uint needs a whole number from 0 to 18446744073709551615");
        }
        yield ScalarValue.uint(v.longValue());
      }
      case F64 -> {
        if (!node.isNumber()) {
          throw new CliException("--as f64 needs a number");
        }
        yield ScalarValue.of(node.decimalValue().doubleValue());
      }
      case STR -> {
        if (!node.isString()) {
          throw new CliException("--as str needs a JSON string");
        }
        yield ScalarValue.of(node.stringValue());
      }
      case BYTES -> {
        if (!node.isString()) {
          throw new CliException("--as bytes needs a JSON string of base64");
        }
        try {
          yield ScalarValue.bytes(Base64.getDecoder().decode(node.stringValue()));
        } catch (IllegalArgumentException e) {
          throw new CliException("--as bytes: not base64: " + node.stringValue());
        }
      }
      case TEXT -> throw new IllegalStateException("text is an object, not a scalar");
    };
  }

  private static long signed(JsonNode node, As as) {
    BigInteger v = integral(node, as);
    if (v == null || v.bitLength() > 63) {
      throw new CliException("--as " + as.label() + " needs a whole number that fits 64 bits");
    }
    return v.longValue();
  }

  private static BigInteger integral(JsonNode node, As as) {
    if (!node.isNumber()) {
      throw new CliException("--as " + as.label() + " needs a number");
    }
    BigDecimal d = node.decimalValue();
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      return null;
    }
    return d.toBigInteger();
  }

  /** A JSON scalar typed as Automerge JS types it: number, boolean or null (not a string: that is text). */
  static ScalarValue scalar(JsonNode node) {
    if (node.isNull()) {
      return ScalarValue.NULL;
    }
    if (node.isBoolean()) {
      return ScalarValue.of(node.booleanValue());
    }
    if (node.isNumber()) {
      return number(node.decimalValue());
    }
    throw new IllegalArgumentException("not a scalar: " + node.getNodeType());
  }

  /**
   * An int if the number is integral and fits 64 bits, else an f64: Automerge JS's rule for a
   * JavaScript number. A number with more digits than a double holds counts by its exact value
   * when that is a 64-bit integer, else by its nearest double.
   */
  static ScalarValue number(BigDecimal exact) {
    if (exact.signum() == 0) {
      return ScalarValue.of(0L);
    }
    BigDecimal stripped = exact.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
      BigInteger i = stripped.toBigIntegerExact();
      if (i.bitLength() <= 63) {
        return ScalarValue.of(i.longValue());
      }
    }
    double d = exact.doubleValue();
    if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
      return ScalarValue.of((long) d);
    }
    return ScalarValue.of(d);
  }

  /**
   * A mark value, typed exactly as Automerge JS 3.5's {@code mark()} types the JavaScript value
   * that {@code JSON.parse(json)} gives: a string is a scalar string; a number is an int only if it
   * is integral and positive (cast as Rust's {@code as i64} does, saturating), otherwise an f64 —
   * so 0, -2 and -0 are f64 there, unlike in {@link #number}. Checked against JS 3.5.0.
   */
  static ScalarValue markValue(JsonNode node, String json) {
    if (node.isString()) {
      return ScalarValue.of(node.stringValue());
    }
    if (node.isObject() || node.isArray()) {
      throw new CliException("a mark value is a string, number, boolean or null");
    }
    if (node.isNumber()) {
      double d = node.decimalValue().doubleValue();
      if (d == 0 && json.strip().startsWith("-")) {
        return ScalarValue.of(-0.0);
      }
      if (d > 0 && d == Math.rint(d)) {
        return ScalarValue.of((long) d);
      }
      return ScalarValue.of(d);
    }
    return scalar(node);
  }

  /**
   * The properties of a JSON object in the order JavaScript enumerates them once parsed: keys that
   * are array indexes (canonical integers below 2^32 − 1) first, ascending, then the others in
   * their order in the text. Automerge JS writes them in this order.
   */
  static List<Map.Entry<String, JsonNode>> jsPropertyOrder(JsonNode object) {
    List<Map.Entry<String, JsonNode>> indexes = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      (isArrayIndex(e.getKey()) ? indexes : others).add(e);
    }
    indexes.sort((a, b) -> Long.compare(Long.parseLong(a.getKey()), Long.parseLong(b.getKey())));
    indexes.addAll(others);
    return indexes;
  }

  private static boolean isArrayIndex(String key) {
    if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(key) < 0xFFFF_FFFFL;
  }
}
