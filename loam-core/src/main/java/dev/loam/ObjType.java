package dev.loam;

/** The kinds of object a document holds. */
public enum ObjType {
  MAP,
  LIST,
  TEXT,
  /** Legacy Automerge tables: read as maps. */
  TABLE;

  /** Whether the object is indexed by position (list or text) rather than by key. */
  public boolean isSequence() {
    return this == LIST || this == TEXT;
  }
}
