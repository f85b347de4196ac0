package dev.loam;

import java.util.List;
import java.util.Optional;

/**
 * Reads a document. Every read has a twin taking {@link Heads} that answers as of that past state.
 * Indexes and lengths of text are UTF-16 code units, as in Automerge JS and Java strings; list
 * indexes count elements.
 */
public interface ReadDoc {
  /** The type of object {@code obj}, or empty if the document has no such object (at these heads). */
  Optional<ObjType> objType(ObjId obj);

  /** As {@link #objType(ObjId)}, as of {@code heads}. */
  Optional<ObjType> objType(ObjId obj, Heads heads);

  /** The winning value at {@code key} of map {@code obj}, or empty if the key is absent. */
  Optional<Value> get(ObjId obj, String key);

  /** As {@link #get(ObjId, String)}, as of {@code heads}. */
  Optional<Value> get(ObjId obj, String key, Heads heads);

  /** The winning value at {@code index} of list {@code obj}, or empty if the index is out of range. */
  Optional<Value> get(ObjId obj, int index);

  /** As {@link #get(ObjId, int)}, as of {@code heads}. */
  Optional<Value> get(ObjId obj, int index, Heads heads);

  /** Every concurrent value at {@code key}, in ascending operation-id order: the winner is last. */
  List<Value> getAll(ObjId obj, String key);

  /** As {@link #getAll(ObjId, String)}, as of {@code heads}. */
  List<Value> getAll(ObjId obj, String key, Heads heads);

  /** Every concurrent value at {@code index} of list {@code obj}, in ascending operation-id order: the winner is last. */
  List<Value> getAll(ObjId obj, int index);

  /** As {@link #getAll(ObjId, int)}, as of {@code heads}. */
  List<Value> getAll(ObjId obj, int index, Heads heads);

  /** The keys of map {@code obj} in Automerge's order (by UTF-8 bytes). */
  List<String> keys(ObjId obj);

  /** As {@link #keys(ObjId)}, as of {@code heads}. */
  List<String> keys(ObjId obj, Heads heads);

  /** The number of keys of a map, elements of a list, or UTF-16 units of a text. */
  int length(ObjId obj);

  /** As {@link #length(ObjId)}, as of {@code heads}. */
  int length(ObjId obj, Heads heads);

  /** The content of text {@code obj}. */
  String text(ObjId obj);

  /** As {@link #text(ObjId)}, as of {@code heads}. */
  String text(ObjId obj, Heads heads);

  /** The marks of text {@code obj}, merged into maximal ranges, ordered by start then name. */
  List<Mark> marks(ObjId obj);

  /** As {@link #marks(ObjId)}, as of {@code heads}. */
  List<Mark> marks(ObjId obj, Heads heads);

  /**
   * The object as plain Java values: {@code Map<String,Object>} (insertion-ordered by key order),
   * {@code List<Object>}, {@code String} for text, and {@link ScalarValue}s for scalars.
   */
  Object materialize(ObjId obj);

  /** As {@link #materialize(ObjId)}, as of {@code heads}. */
  Object materialize(ObjId obj, Heads heads);

  /** A cursor at {@code index} of list or text {@code obj}; an index at or past the end gives {@link Cursor#END}, as in Automerge JS. */
  Cursor cursor(ObjId obj, int index, Cursor.Move move);

  /** As {@link #cursor(ObjId, int, Cursor.Move)}, as of {@code heads}. */
  Cursor cursor(ObjId obj, int index, Cursor.Move move, Heads heads);

  /** The current index of {@code cursor} in {@code obj}. */
  int resolveCursor(ObjId obj, Cursor cursor);

  /** As {@link #resolveCursor(ObjId, Cursor)}, as of {@code heads}. */
  int resolveCursor(ObjId obj, Cursor cursor, Heads heads);
}
