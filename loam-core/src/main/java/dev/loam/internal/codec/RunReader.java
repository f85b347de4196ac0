package dev.loam.internal.codec;

import dev.loam.DecodeException;

/**
 * The run structure every RLE column shares, whatever its values: an sLEB header per run —
 * {@code n > 0} one value repeated n times, {@code n < 0} |n| literal values, {@code 0} then a uLEB
 * count of nulls — over exactly {@code rows} rows. A run is never allowed past the rows that are
 * left, so hostile counts cannot make a decoder expand anything. Subclasses read the values.
 */
abstract class RunReader {
  static final int NULLS = 0;
  static final int REPEAT = 1;
  static final int LITERAL = 2;

  final ByteReader in;
  final String what;
  private final long rows;
  private long rowsLeft;
  private long runLeft;
  private int kind;

  /** @param in the column, or null when it is absent (all nulls) */
  RunReader(ByteReader in, long rows, String what) {
    this.in = in;
    this.rows = rows;
    this.rowsLeft = rows;
    this.what = what;
  }

  /** Reads the value a repeat run repeats (called once, at the start of the run). */
  abstract void readRepeated();

  /**
   * Moves to the next row and says what it is: {@link #NULLS}, {@link #REPEAT} (the value read by
   * {@link #readRepeated}) or {@link #LITERAL} (the caller reads the value now).
   */
  final int advance() {
    if (rowsLeft <= 0) {
      throw new IllegalStateException("past the last row");
    }
    rowsLeft--;
    if (in == null) {
      return NULLS;
    }
    if (runLeft == 0) {
      readHeader();
    }
    runLeft--;
    return kind;
  }

  private void readHeader() {
    if (in.atEnd()) {
      throw in.error(what + ": " + rows + " rows, found " + (rows - rowsLeft - 1));
    }
    long at = in.offset();
    long n = in.readSleb();
    if (n > 0) {
      kind = REPEAT;
      runLeft = n;
      readRepeated();
    } else if (n < 0) {
      if (n == Long.MIN_VALUE) {
        throw new DecodeException(at, what + ": a literal run length that fits in 63 bits");
      }
      kind = LITERAL;
      runLeft = -n;
    } else {
      kind = NULLS;
      runLeft = in.readUleb();
      if (runLeft <= 0) {
        throw new DecodeException(at, what + ": a null run of 1 to 2^63-1 rows");
      }
    }
    if (runLeft - 1 > rowsLeft) {
      throw new DecodeException(
          at, what + ": a run of at most " + (rowsLeft + 1) + " rows (the rest of the column), found " + runLeft);
    }
  }

  /** Checks that the column holds no bytes beyond its rows. */
  final void finish() {
    if (in != null && (runLeft != 0 || !in.atEnd())) {
      throw in.error(what + ": the end of the column after " + rows + " rows");
    }
  }
}
