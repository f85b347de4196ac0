package dev.loam.mcp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The arguments of one tool call (or one edit operation), read with their types checked: every
 * wrong, missing or unknown argument is a {@link ToolException} naming it. Used by one thread.
 */
final class Args {
  private final String where;
  private final Map<String, @Nullable Object> values;

  private Args(String where, Map<String, @Nullable Object> values) {
    this.where = where;
    this.values = values;
  }

  /**
   * The arguments {@code values} of {@code where} (a tool's name, or "operation 3"), which may only
   * name {@code allowed} keys.
   */
  static Args of(String where, @Nullable Map<String, @Nullable Object> values, Set<String> allowed) {
    Map<String, @Nullable Object> m = values == null ? Map.of() : values;
    Set<String> unknown = new TreeSet<>(m.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new ToolException(where + ": unknown argument" + (unknown.size() == 1 ? " " : "s ")
          + String.join(", ", unknown.stream().map(k -> '"' + shorten(k) + '"').toList())
          + "; it takes " + String.join(", ", new TreeSet<>(allowed)));
    }
    return new Args(where, m);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The raw value of {@code name} (present, possibly JSON null). */
  @Nullable Object raw(String name) {
    return values.get(name);
  }

  String string(String name, int maxChars) {
    return optString(name, maxChars).orElseThrow(() -> missing(name, "a string"));
  }

  Optional<String> optString(String name, int maxChars) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw wrong(name, "a string");
    }
    if (s.length() > maxChars) {
      throw new ToolException(where + ": " + name + " is " + s.length() + " characters long; at most " + maxChars + " are accepted");
    }
    return Optional.of(s);
  }

  long integer(String name, long min, long max) {
    OptionalLong v = optInteger(name, min, max);
    if (v.isEmpty()) {
      throw missing(name, "a whole number");
    }
    return v.getAsLong();
  }

  /** A whole number in {@code [min, max]}; a fraction, a string or a number out of range is refused. */
  OptionalLong optInteger(String name, long min, long max) {
    Object v = values.get(name);
    if (v == null) {
      return OptionalLong.empty();
    }
    BigInteger n = switch (v) {
      case Integer i -> BigInteger.valueOf(i);
      case Long l -> BigInteger.valueOf(l);
      case Short s -> BigInteger.valueOf(s);
      case BigInteger b -> b;
      case BigDecimal d when d.stripTrailingZeros().scale() <= 0 -> d.toBigInteger();
      case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p62 -> BigInteger.valueOf(d.longValue());
      default -> throw wrong(name, "a whole number");
    };
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ToolException(where + ": " + name + " must be between " + min + " and " + max + ", not " + n);
    }
    return OptionalLong.of(n.longValue());
  }

  /** A JSON array of at most {@code maxSize} elements. */
  List<?> list(String name, int maxSize) {
    Object v = values.get(name);
    if (v == null) {
      throw missing(name, "an array");
    }
    if (!(v instanceof List<?> l)) {
      throw wrong(name, "an array");
    }
    if (l.size() > maxSize) {
      throw new ToolException(where + ": " + name + " has " + l.size() + " elements; at most " + maxSize + " are accepted");
    }
    return l;
  }

  /** A list of strings of at most {@code maxSize} elements. */
  List<String> strings(String name, int maxSize, int maxChars) {
    List<?> l = list(name, maxSize);
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof String s) || s.length() > maxChars) {
        throw new ToolException(where + ": " + name + "[" + i + "] must be a string of at most " + maxChars + " characters");
      }
    }
    @SuppressWarnings("unchecked")
    List<String> strings = (List<String>) l;
    return strings;
  }

  private ToolException missing(String name, String what) {
    return new ToolException(where + ": missing " + name + " (" + what + ")");
  }

  private ToolException wrong(String name, String what) {
    return new ToolException(where + ": " + name + " must be " + what);
  }

  static String shorten(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
