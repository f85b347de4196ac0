package dev.loam.search;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Prop;
import dev.loam.ReadDoc;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The strings of a document: every text object and every string scalar, with its JSON pointer
 * ({@code /title}, {@code /tasks/3/note}) and its key name, now or as of some heads.
 *
 * <p>The <em>key</em> of a string is the name of the map key that holds it, or, for a string that
 * is a list element, the key of the nearest map key above the list ({@code /tags/0} has key
 * {@code tags}); a string in a list at the root has no key (the empty string). JSON-pointer
 * escaping applies to keys ({@code ~} is {@code ~0}, {@code /} is {@code ~1}). Cost: linear in the
 * document's visible state. Stateless.
 */
final class DocText {
  private DocText() {}

  /** One string of a document. */
  record Entry(String path, String key, String text) {}

  /** The document's strings now, in document order (map keys sorted, list elements in order). */
  static List<Entry> of(ReadDoc doc) {
    return of(doc, Optional.empty());
  }

  /** The document's strings as of {@code heads}. */
  static List<Entry> of(ReadDoc doc, Heads heads) {
    return of(doc, Optional.of(heads));
  }

  private static List<Entry> of(ReadDoc doc, Optional<Heads> at) {
    List<Entry> out = new ArrayList<>();
    walk(new Walk(doc, at, out), ObjId.ROOT, ObjType.MAP, "", "");
    return out;
  }

  /** The strings at or under {@code path} now (empty if nothing is there), with pointers from the root. */
  static List<Entry> under(ReadDoc doc, List<Prop> path) {
    Walk w = new Walk(doc, Optional.empty(), new ArrayList<>());
    Value at = new Value.Obj(ObjType.MAP, ObjId.ROOT);
    StringBuilder pointer = new StringBuilder();
    String key = "";
    for (Prop p : path) {
      if (!(at instanceof Value.Obj o)) {
        return List.of();
      }
      Optional<Value> next = switch (p) {
        case Prop.Key k -> o.type() == ObjType.MAP || o.type() == ObjType.TABLE ? w.get(o.id(), k.key()) : Optional.empty();
        case Prop.Index i -> o.type() == ObjType.LIST ? w.get(o.id(), i.index()) : Optional.empty();
      };
      if (next.isEmpty()) {
        return List.of();
      }
      switch (p) {
        case Prop.Key k -> {
          pointer.append('/').append(escape(k.key()));
          key = k.key();
        }
        case Prop.Index i -> pointer.append('/').append(i.index());
      }
      at = next.get();
    }
    visit(w, at, pointer.toString(), key);
    return w.out();
  }

  private record Walk(ReadDoc doc, Optional<Heads> at, List<Entry> out) {
    List<String> keys(ObjId obj) {
      return at.isPresent() ? doc.keys(obj, at.get()) : doc.keys(obj);
    }

    int length(ObjId obj) {
      return at.isPresent() ? doc.length(obj, at.get()) : doc.length(obj);
    }

    Optional<Value> get(ObjId obj, String key) {
      return at.isPresent() ? doc.get(obj, key, at.get()) : doc.get(obj, key);
    }

    Optional<Value> get(ObjId obj, int index) {
      return at.isPresent() ? doc.get(obj, index, at.get()) : doc.get(obj, index);
    }

    String text(ObjId obj) {
      return at.isPresent() ? doc.text(obj, at.get()) : doc.text(obj);
    }
  }

  /** Adds the strings under {@code obj} (a map, table, list or text at {@code path}). */
  private static void walk(Walk w, ObjId obj, ObjType type, String path, String key) {
    switch (type) {
      case MAP, TABLE -> {
        for (String k : w.keys(obj)) {
          Optional<Value> v = w.get(obj, k);
          if (v.isPresent()) {
            visit(w, v.get(), path + "/" + escape(k), k);
          }
        }
      }
      case LIST -> {
        int n = w.length(obj);
        for (int i = 0; i < n; i++) {
          Optional<Value> v = w.get(obj, i);
          if (v.isPresent()) {
            visit(w, v.get(), path + "/" + i, key);
          }
        }
      }
      case TEXT -> w.out().add(new Entry(path, key, w.text(obj)));
    }
  }

  private static void visit(Walk w, Value v, String path, String key) {
    switch (v) {
      case Value.Obj o -> walk(w, o.id(), o.type(), path, key);
      case ScalarValue.Str s -> w.out().add(new Entry(path, key, s.value()));
      case ScalarValue other -> { }
    }
  }

  /** {@code key} escaped as a JSON-pointer segment. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
