package dev.loam.internal.doc;

import dev.loam.KeyOrder;
import dev.loam.ObjType;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One object of a document: its type, the row that created it, and its content — per key the
 * rows ordered by op id (maps), or the elements in document order (lists and text).
 */
final class ObjState {
  /** Orders map keys by their UTF-8 bytes, which is code point order (not {@code String.compareTo}). */
  static final Comparator<String> UTF8_ORDER = KeyOrder.COMPARATOR;

  final int index;
  final long id;
  final ObjType type;
  /** The row of the make op, or -1 for the root. */
  final int createRow;
  /** A map's keys; null for a sequence. */
  final @Nullable TreeMap<String, Rows> keys;
  /** A sequence's elements; null for a map. */
  final @Nullable SeqTree seq;
  /** How many mark ops the sequence holds: without any, a local insert needs no scan past tombstones. */
  int markOps;

  ObjState(int index, long id, ObjType type, int createRow, OpTable ops) {
    this.index = index;
    this.id = id;
    this.type = type;
    this.createRow = createRow;
    if (type.isSequence()) {
      keys = null;
      seq = new SeqTree(ops);
    } else {
      keys = new TreeMap<>(UTF8_ORDER);
      seq = null;
    }
  }

  /** A copy over {@code ops}, a copy of this object's op table (whose leaf column it fills). */
  ObjState copy(OpTable ops) {
    ObjState c = new ObjState(index, id, type, createRow, ops);
    c.markOps = markOps;
    if (seq != null) {
      c.seq.copyFrom(seq);
    } else {
      for (Map.Entry<String, Rows> e : keys.entrySet()) {
        c.keys.put(e.getKey(), e.getValue().copy());
      }
    }
    return c;
  }
}
