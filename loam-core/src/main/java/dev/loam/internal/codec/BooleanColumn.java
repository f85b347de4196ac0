package dev.loam.internal.codec;

import dev.loam.DecodeException;

/**
 * A column of booleans stored as uLEB run lengths that alternate false, true, false, …, starting
 * with false; a column that starts with true begins with a run of 0.
 *
 * <pre>
 * [T, T, F, F, F]  -&gt;  00 | 02 | 03
 * </pre>
 */
final class BooleanColumn {
  private BooleanColumn() {}

  static final class Encoder {
    private final ByteWriter out = new ByteWriter(16);
    private boolean last;
    private long count;

    /** Forgets everything appended, keeping the buffer. */
    void reset() {
      out.reset();
      last = false;
      count = 0;
    }

    void append(boolean b) {
      if (b == last) {
        count++;
      } else {
        out.writeUleb(count);
        last = b;
        count = 1;
      }
    }

    byte[] finish() {
      if (count > 0) {
        out.writeUleb(count);
      }
      byte[] r = out.toByteArray();
      out.reset();
      last = false;
      count = 0;
      return r;
    }
  }

  static long countRows(ByteReader in, long limit, String what) {
    long rows = 0;
    while (!in.atEnd()) {
      long at = in.offset();
      long n = in.readUleb();
      if (n < 0 || n > limit - rows) {
        throw new DecodeException(at, what + ": at most " + limit + " rows");
      }
      rows += n;
    }
    return rows;
  }

  /** Reads exactly {@code rows} rows; absent (null reader) is all false. */
  static final class Decoder {
    private final ByteReader in;
    private final String what;
    private final long rows;
    private long rowsLeft;
    private long runLeft;
    private boolean value = true;

    Decoder(ByteReader in, long rows, String what) {
      this.in = in;
      this.rows = rows;
      this.rowsLeft = rows;
      this.what = what;
    }

    boolean next() {
      if (rowsLeft <= 0) {
        throw new IllegalStateException("past the last row");
      }
      rowsLeft--;
      if (in == null) {
        return false;
      }
      while (runLeft == 0) {
        if (in.atEnd()) {
          throw in.error(what + ": " + rows + " rows, found " + (rows - rowsLeft - 1));
        }
        long at = in.offset();
        runLeft = in.readUleb();
        value = !value;
        if (runLeft < 0 || runLeft - 1 > rowsLeft) {
          throw new DecodeException(at, what + ": a run of at most " + (rowsLeft + 1) + " rows, found " + Long.toUnsignedString(runLeft));
        }
      }
      runLeft--;
      return value;
    }

    void finish() {
      if (in != null && (runLeft != 0 || !in.atEnd())) {
        throw in.error(what + ": the end of the column after " + rows + " rows");
      }
    }
  }
}
