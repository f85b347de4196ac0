package dev.loam.typed;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Prop;
import dev.loam.ReadDoc;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Jackson bridge: a document, or an object in it, as a Jackson {@link JsonNode}, and a
 * {@code JsonNode} reconciled into a document with the fewest operations, for apps that already
 * speak Jackson (Jackson 3, {@code tools.jackson.databind}).
 *
 * <p>Document to JSON as {@link dev.loam.Document#toJson()} prints it: maps are objects, lists
 * arrays, text and strings strings, counters and numbers numbers, timestamps ISO-8601 strings as
 * JavaScript's {@code Date.toISOString()}, bytes binary nodes. JSON to document as Automerge JS 3
 * assigns plain values: a new string becomes collaborative text (and a string where the document
 * has text edits it by a character diff), a number where the document has a counter increments
 * it, an ISO-8601 string where the document has a timestamp sets the timestamp, arrays change by
 * inserts and deletes along a diff of their elements, and an object's keys are exactly the node's
 * (keys missing from the node are deleted). Reconciling what {@link #read} returned changes nothing.
 *
 * <pre>{@code
 * JsonNode json = JsonNodes.read(doc);
 * doc.transact(tx -> JsonNodes.reconcile(tx, ((ObjectNode) json).put("title", "Renamed")));
 * }</pre>
 *
 * <p>Stateless and thread-safe; reads and writes run on the document, which is not thread-safe.
 */
public final class JsonNodes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter JS_ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonNodes() {}

  /** The whole document as an object node. */
  public static ObjectNode read(ReadDoc doc) {
    return (ObjectNode) node(new View(doc, null), new Value.Obj(ObjType.MAP, ObjId.ROOT));
  }

  /** The document as of {@code heads}. */
  public static ObjectNode read(ReadDoc doc, Heads heads) {
    return (ObjectNode) node(new View(doc, heads), new Value.Obj(ObjType.MAP, ObjId.ROOT));
  }

  /**
   * The value at {@code path} (keys and list indexes from the root) as of {@code heads}, or
   * empty if there is none.
   */
  public static Optional<JsonNode> read(ReadDoc doc, List<Prop> path, Heads heads) {
    return at(new View(doc, heads), path);
  }

  /** The value at {@code path} now, or empty if there is none. */
  public static Optional<JsonNode> read(ReadDoc doc, List<Prop> path) {
    return at(new View(doc, null), path);
  }

  /**
   * Makes the document's root hold exactly {@code object}, with the fewest operations.
   *
   * @throws IllegalArgumentException if {@code object} is not an object node
   */
  public static void reconcile(Transaction tx, JsonNode object) {
    if (!object.isObject()) {
      throw new IllegalArgumentException("a document's root is an object, not " + object.getNodeType());
    }
    Reconciler r = new Reconciler(tx);
    object(r, ObjId.ROOT, object, "");
  }

  /**
   * Makes the value at {@code path} {@code node}; every step but the last must exist.
   *
   * @throws TypeMismatchException if a step of {@code path} is missing or not an object
   */
  public static void reconcile(Transaction tx, List<Prop> path, JsonNode node) {
    if (path.isEmpty()) {
      reconcile(tx, node);
      return;
    }
    Reconciler r = new Reconciler(tx);
    ObjId parent = ObjId.ROOT;
    String where = "";
    for (Prop p : path.subList(0, path.size() - 1)) {
      Optional<Value> v = get(r.view, parent, p);
      where = View.child(where, p.toString());
      if (!(v.isPresent() && v.get() instanceof Value.Obj o)) {
        throw new TypeMismatchException(where, "an object", View.describe(v));
      }
      parent = o.id();
    }
    Reconciler.Slot slot = switch (path.getLast()) {
      case Prop.Key k -> new Reconciler.Slot.At(parent, k.key());
      case Prop.Index i -> new Reconciler.Slot.Index(parent, i.index());
    };
    write(r, slot, node, View.child(where, path.getLast().toString()));
  }

  private static Optional<JsonNode> at(View view, List<Prop> path) {
    Value v = new Value.Obj(ObjType.MAP, ObjId.ROOT);
    for (Prop p : path) {
      if (!(v instanceof Value.Obj o)) {
        return Optional.empty();
      }
      Optional<Value> next = get(view, o.id(), p);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      v = next.get();
    }
    return Optional.of(node(view, v));
  }

  private static Optional<Value> get(View view, ObjId obj, Prop p) {
    return switch (p) {
      case Prop.Key k -> view.get(obj, k.key());
      case Prop.Index i -> view.get(obj, i.index());
    };
  }

  private static JsonNode node(View view, Value v) {
    return switch (v) {
      case Value.Obj o -> switch (o.type()) {
        case MAP, TABLE -> {
          ObjectNode out = NODES.objectNode();
          for (String key : view.keys(o.id())) {
            out.set(key, node(view, view.get(o.id(), key).orElseThrow()));
          }
          yield out;
        }
        case LIST -> {
          ArrayNode out = NODES.arrayNode();
          int n = view.length(o.id());
          for (int i = 0; i < n; i++) {
            out.add(node(view, view.get(o.id(), i).orElseThrow()));
          }
          yield out;
        }
        case TEXT -> NODES.stringNode(view.text(o.id()));
      };
      case ScalarValue.Null n -> NODES.nullNode();
      case ScalarValue.Bool b -> NODES.booleanNode(b.value());
      case ScalarValue.Int i -> integer(i.value());
      case ScalarValue.Uint u -> u.value() >= 0 ? integer(u.value())
          : NODES.numberNode(new BigInteger(Long.toUnsignedString(u.value())));
      case ScalarValue.F64 f -> NODES.numberNode(f.value());
      case ScalarValue.Counter c -> integer(c.value());
      case ScalarValue.Str s -> NODES.stringNode(s.value());
      case ScalarValue.Timestamp t -> NODES.stringNode(JS_ISO.format(Instant.ofEpochMilli(t.millis())));
      case ScalarValue.BytesValue b -> NODES.binaryNode(b.value().toByteArray());
      case ScalarValue.Unknown u -> NODES.binaryNode(u.bytes().toByteArray());
    };
  }

  private static Optional<Long> isoMillis(String text) {
    try {
      return Optional.of(Instant.parse(text).toEpochMilli());
    } catch (DateTimeParseException notAnInstant) {
      return Optional.empty();
    }
  }

  /** The smallest integer node, as a JSON parser makes it (so a read equals the parsed JSON). */
  private static JsonNode integer(long v) {
    return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
  }

  private static void object(Reconciler r, ObjId id, JsonNode node, String path) {
    for (String key : r.view.keys(id)) {
      if (!node.has(key)) {
        r.tx.delete(id, key);
      }
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      write(r, new Reconciler.Slot.At(id, e.getKey()), e.getValue(), View.child(path, e.getKey()));
    }
  }

  private static void write(Reconciler r, Reconciler.Slot slot, @Nullable Object value, String path) {
    JsonNode node = (JsonNode) value;
    Optional<Value> current = r.current(slot);
    switch (node.getNodeType()) {
      case OBJECT -> object(r, Reconciler.existingMap(current).orElseGet(() -> r.create(slot, ObjType.MAP)), node, path);
      case ARRAY -> {
        List<JsonNode> target = new ArrayList<>(node.values());
        if (current.isPresent() && current.get() instanceof Value.Obj o && o.type() == ObjType.LIST) {
          int n = r.view.length(o.id());
          List<JsonNode> old = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            old.add(node(r.view, r.view.get(o.id(), i).orElseThrow()));
          }
          r.edit(o.id(), n, target, (i, j) -> old.get(i).equals(target.get(j)), false, (s, v, p) -> write(r, s, v, p), path);
        } else {
          ObjId id = r.create(slot, ObjType.LIST);
          for (int i = 0; i < target.size(); i++) {
            write(r, new Reconciler.Slot.Insert(id, i), target.get(i), View.child(path, i));
          }
        }
      }
      case STRING -> {
        Optional<Long> millis = current.isPresent() && current.get() instanceof ScalarValue.Timestamp ? isoMillis(node.stringValue()) : Optional.empty();
        if (millis.isPresent()) {
          r.scalar(slot, current, ScalarValue.timestamp(millis.get())); // a timestamp read as its ISO string stays a timestamp
        } else {
          r.string(slot, current, !(current.isPresent() && current.get() instanceof ScalarValue.Str), node.stringValue());
        }
      }
      case NUMBER -> {
        if (current.isPresent() && current.get() instanceof ScalarValue.Counter && node.canConvertToLong() && node.isIntegralNumber()) {
          r.counter(slot, current, node.longValue());
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
          r.scalar(slot, current, ScalarValue.of(node.longValue()));
        } else if (node.isIntegralNumber() && node.bigIntegerValue().signum() > 0 && node.bigIntegerValue().bitLength() <= 64) {
          r.scalar(slot, current, ScalarValue.uint(node.bigIntegerValue().longValue())); // beyond a long: unsigned, as read
        } else {
          r.scalar(slot, current, ScalarValue.of(node.doubleValue()));
        }
      }
      case BOOLEAN -> r.scalar(slot, current, ScalarValue.of(node.booleanValue()));
      case BINARY -> r.scalar(slot, current, ScalarValue.bytes(node.binaryValue()));
      case NULL, MISSING -> r.scalar(slot, current, ScalarValue.NULL);
      case POJO -> throw new IllegalArgumentException("at " + path + ": a POJO node is not JSON; convert it to a tree first");
    }
  }
}
