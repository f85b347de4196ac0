package dev.loam.internal.json;

import dev.loam.ScalarValue;
import java.util.List;
import java.util.Map;

/**
 * Writes a materialised document ({@link dev.loam.ReadDoc#materialize}) as one line of JSON, with
 * the mapping {@code loam doc json} promises — Automerge JS {@code toJS}, made printable:
 *
 * <ul>
 *   <li>maps → objects (in the map's order), lists → arrays, text ({@code String}) and {@link
 *       ScalarValue.Str} → strings, escaped as {@code JSON.stringify} does (lone surrogates as
 *       {@code \}{@code udxxx});
 *   <li>counters → their value; {@link ScalarValue.Int} → decimal digits, {@link ScalarValue.Uint}
 *       → unsigned decimal digits (exact, also beyond 2^53);
 *   <li>{@link ScalarValue.F64} → as ECMAScript's {@code Number::toString} prints it ({@link
 *       JsNumber}); NaN and ±Infinity → {@code null}, −0 → {@code 0};
 *   <li>booleans and null as such;
 *   <li>timestamps → {@code Date.prototype.toISOString()} of the milliseconds ({@link JsDate}),
 *       {@code null} where JS has no valid date;
 *   <li>bytes and unknown types → padded standard base64 of the raw bytes.
 * </ul>
 */
public final class JsonWriter {
  private JsonWriter() {}

  /** {@code value} as one line of JSON, without a trailing newline. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value);
    return sb.toString();
  }

  /**
   * Appends {@code value}: a {@code Map<String, ?>}, a {@code List<?>}, a {@code String} (text), a
   * {@link ScalarValue}, or null.
   */
  public static void append(StringBuilder sb, Object value) {
    switch (value) {
      case null -> sb.append("null");
      case String s -> appendString(sb, s);
      case ScalarValue v -> appendScalar(sb, v);
      case Map<?, ?> m -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          appendString(sb, (String) e.getKey());
          sb.append(':');
          append(sb, e.getValue());
        }
        sb.append('}');
      }
      case List<?> l -> {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          append(sb, l.get(i));
        }
        sb.append(']');
      }
      default -> throw new IllegalArgumentException("not a materialised value: " + value.getClass().getName());
    }
  }

  /** Appends one scalar as the mapping above says. */
  public static void appendScalar(StringBuilder sb, ScalarValue v) {
    switch (v) {
      case ScalarValue.Null n -> sb.append("null");
      case ScalarValue.Bool b -> sb.append(b.value());
      case ScalarValue.Int i -> sb.append(i.value());
      case ScalarValue.Uint u -> sb.append(Long.toUnsignedString(u.value()));
      case ScalarValue.Counter c -> sb.append(c.value());
      case ScalarValue.F64 f -> appendNumber(sb, f.value());
      case ScalarValue.Str s -> appendString(sb, s.value());
      case ScalarValue.Timestamp t -> {
        String iso = JsDate.toIsoString(t.millis());
        if (iso == null) {
          sb.append("null");
        } else {
          sb.append('"').append(iso).append('"');
        }
      }
      case ScalarValue.BytesValue b -> sb.append('"').append(b.value().base64()).append('"');
      case ScalarValue.Unknown u ->
          sb.append('"').append(u.bytes().base64()).append('"');
    }
  }

  /** Appends a double as {@code JSON.stringify} does: {@code Number::toString}, non-finite as {@code null}. */
  public static void appendNumber(StringBuilder sb, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      sb.append("null");
    } else {
      sb.append(JsNumber.toString(d));
    }
  }

  /**
   * Appends {@code s} as a JSON string exactly as {@code JSON.stringify} writes it: {@code \"},
   * {@code \\}, {@code \b \f \n \r \t}, other controls below U+0020 and unpaired surrogates as
   * lowercase {@code \}{@code uxxxx}; everything else as is.
   */
  public static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(sb, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    String hex = Integer.toHexString(c);
    sb.append("\\u");
    sb.repeat('0', 4 - hex.length());
    sb.append(hex);
  }
}
