package dev.loam.mcp;

import dev.loam.cli.CliException;
import dev.loam.cli.EditOp;
import dev.loam.cli.JsonPointer;
import dev.loam.cli.JsonValues.As;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code operations} of {@code edit_document}, turned into the CLI's {@link EditOp}s so that
 * they mean exactly what {@code loam doc edit} and {@code loam repo edit} do:
 *
 * <ul>
 *   <li>{@code {op:"put", path, value, as?}}: {@code --put PATH JSON [--as TYPE]} (set a map key or
 *       replace a list element; strings become text, integral numbers ints, others f64);
 *   <li>{@code {op:"insert", path, value, as?}}: {@code --insert} (the path's last step is the list
 *       index to insert before, or {@code -} for the end);
 *   <li>{@code {op:"delete", path}}: {@code --delete};
 *   <li>{@code {op:"splice", path, index, delete, text}}: {@code --splice PATH INDEX DELETE TEXT}
 *       (UTF-16 code units);
 *   <li>{@code {op:"increment", path, value}}: {@code --increment PATH N}.
 * </ul>
 *
 * Everything is checked before the first operation runs: the kinds, paths (at most {@link
 * Limits#MAX_PATH_DEPTH} steps) and value depths. Stateless.
 */
final class Operations {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> KEYS = Set.of("op", "path", "value", "as", "index", "delete", "text");

  private Operations() {}

  static List<EditOp> parse(List<?> operations) {
    List<EditOp> ops = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      String where = "operations[" + i + "]";
      if (!(operations.get(i) instanceof Map<?, ?> m)) {
        throw new ToolException(where + " must be an object {op, path, ...}");
      }
      @SuppressWarnings("unchecked")
      Args a = Args.of(where, (Map<String, @Nullable Object>) m, KEYS);
      ops.add(operation(where, a));
    }
    return List.copyOf(ops);
  }

  private static EditOp operation(String where, Args a) {
    String op = a.string("op", 20);
    JsonPointer path = path(where, a.string("path", 4096));
    Set<String> allowed = switch (op) {
      case "put", "insert" -> Set.of("op", "path", "value", "as");
      case "delete" -> Set.of("op", "path");
      case "splice" -> Set.of("op", "path", "index", "delete", "text");
      case "increment" -> Set.of("op", "path", "value");
      default -> throw new ToolException(where + ": op is put, insert, delete, splice or increment, not \"" + Args.shorten(op) + "\"");
    };
    for (String k : KEYS) {
      if (a.has(k) && !allowed.contains(k)) {
        throw new ToolException(where + ": " + op + " takes no " + k);
      }
    }
    return switch (op) {
      case "put" -> new EditOp.Put(path, value(where, a), as(where, a));
      case "insert" -> new EditOp.Insert(path, value(where, a), as(where, a));
      case "delete" -> new EditOp.Delete(path);
      case "splice" -> new EditOp.Splice(path, (int) a.integer("index", 0, Integer.MAX_VALUE),
          (int) a.integer("delete", 0, Integer.MAX_VALUE), a.optString("text", Limits.MAX_ARGUMENT_CHARS).orElse(""));
      default -> new EditOp.Increment(path, a.integer("value", Long.MIN_VALUE, Long.MAX_VALUE));
    };
  }

  private static JsonPointer path(String where, String text) {
    JsonPointer p;
    try {
      p = JsonPointer.parse(text);
    } catch (CliException e) {
      throw new ToolException(where + ": " + e.getMessage());
    }
    if (p.tokens().size() > Limits.MAX_PATH_DEPTH) {
      throw new ToolException(where + ": the path has " + p.tokens().size() + " steps; at most " + Limits.MAX_PATH_DEPTH + " are accepted");
    }
    return p;
  }

  private static JsonNode value(String where, Args a) {
    if (!a.has("value")) {
      throw new ToolException(where + ": missing value (any JSON value)");
    }
    Object v = a.raw("value");
    int depth = depth(v, 0);
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw new ToolException(where + ": the value nests deeper than " + Limits.MAX_VALUE_DEPTH + " levels");
    }
    return JSON.valueToTree(v);
  }

  /** How deeply {@code v} nests, counted no further than one past the limit. */
  private static int depth(@Nullable Object v, int at) {
    if (at > Limits.MAX_VALUE_DEPTH) {
      return at;
    }
    int max = at;
    if (v instanceof Map<?, ?> m) {
      for (Object e : m.values()) {
        max = Math.max(max, depth(e, at + 1));
      }
    } else if (v instanceof List<?> l) {
      for (Object e : l) {
        max = Math.max(max, depth(e, at + 1));
      }
    }
    return max;
  }

  private static @Nullable As as(String where, Args a) {
    var name = a.optString("as", 20);
    if (name.isEmpty()) {
      return null;
    }
    try {
      return As.parse(name.get());
    } catch (CliException e) {
      throw new ToolException(where + ": " + e.getMessage().replace("--as", "as"));
    }
  }
}
