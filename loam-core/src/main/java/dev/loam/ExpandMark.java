package dev.loam;

/**
 * Whether text inserted at the edge of a mark takes the mark: at its start ({@link #BEFORE}), at
 * its end ({@link #AFTER}, Automerge's default), at both, or at neither.
 */
public enum ExpandMark {
  BEFORE,
  AFTER,
  BOTH,
  NONE;

  /** Whether text inserted at the mark's start takes the mark. */
  public boolean expandsBefore() {
    return this == BEFORE || this == BOTH;
  }

  /** Whether text inserted at the mark's end takes the mark. */
  public boolean expandsAfter() {
    return this == AFTER || this == BOTH;
  }

  static ExpandMark of(boolean before, boolean after) {
    return before ? (after ? BOTH : BEFORE) : (after ? AFTER : NONE);
  }
}
