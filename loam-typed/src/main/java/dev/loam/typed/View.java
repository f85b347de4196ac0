package dev.loam.typed;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ReadDoc;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A document's state to read from: as it is now, or as of {@code heads}. Not thread-safe (as the document). */
final class View {
  final ReadDoc doc;
  private final @Nullable Heads heads;

  View(ReadDoc doc, @Nullable Heads heads) {
    this.doc = doc;
    this.heads = heads;
  }

  Optional<Value> get(ObjId obj, String key) {
    return heads == null ? doc.get(obj, key) : doc.get(obj, key, heads);
  }

  Optional<Value> get(ObjId obj, int index) {
    return heads == null ? doc.get(obj, index) : doc.get(obj, index, heads);
  }

  List<String> keys(ObjId obj) {
    return heads == null ? doc.keys(obj) : doc.keys(obj, heads);
  }

  int length(ObjId obj) {
    return heads == null ? doc.length(obj) : doc.length(obj, heads);
  }

  String text(ObjId obj) {
    return heads == null ? doc.text(obj) : doc.text(obj, heads);
  }

  /** The JSON pointer of {@code key} under {@code path}. */
  static String child(String path, String key) {
    return path + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String path, int index) {
    return path + "/" + index;
  }

  /** What a value is, for messages. */
  static String describe(Optional<Value> value) {
    if (value.isEmpty()) {
      return "nothing";
    }
    return switch (value.get()) {
      case Value.Obj o -> switch (o.type()) {
        case MAP, TABLE -> "a map";
        case LIST -> "a list";
        case TEXT -> "text";
      };
      case ScalarValue.Str s -> "the string \"" + s.value() + "\"";
      case ScalarValue.Null n -> "null";
      case ScalarValue.Bool b -> "the boolean " + b.value();
      case ScalarValue.Int i -> "the integer " + i.value();
      case ScalarValue.Uint u -> "the unsigned integer " + Long.toUnsignedString(u.value());
      case ScalarValue.F64 f -> "the number " + f.value();
      case ScalarValue.Counter c -> "the counter " + c.value();
      case ScalarValue.Timestamp t -> "the timestamp " + t.millis();
      case ScalarValue.BytesValue b -> b.value().size() + " bytes";
      case ScalarValue.Unknown u -> "a value of unknown type " + u.typeCode();
    };
  }
}
