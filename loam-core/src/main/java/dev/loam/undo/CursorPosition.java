package dev.loam.undo;

import dev.loam.Cursor;
import dev.loam.ObjId;
import dev.loam.ReadDoc;

/**
 * A caret in a list or text that keeps its place across edits: the object and a {@link Cursor} in
 * it. Immutable.
 *
 * @param obj the list or text
 * @param cursor the position in it (from {@link ReadDoc#cursor})
 */
public record CursorPosition(ObjId obj, Cursor cursor) {
  /** A position at {@code index} of {@code obj} in {@code doc} as it is now. */
  public static CursorPosition at(ReadDoc doc, ObjId obj, int index) {
    return new CursorPosition(obj, doc.cursor(obj, index, Cursor.Move.AFTER));
  }

  /** The current index of this position in {@code doc}. */
  public int index(ReadDoc doc) {
    return doc.resolveCursor(obj, cursor);
  }
}
