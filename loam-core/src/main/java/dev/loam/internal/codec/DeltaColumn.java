package dev.loam.internal.codec;

import dev.loam.DecodeException;

/**
 * A column of nullable integers stored as the RLE (sLEB) of the differences between consecutive
 * non-null values, starting from an implicit 0. Nulls do not reset the running value.
 *
 * <pre>
 * values  3  4  5  6  9  7  8
 * deltas  3  1  1  1  3 -2  1   -&gt;  7F 03 | 03 01 | 7D 03 7E 01
 * </pre>
 */
final class DeltaColumn {
  private DeltaColumn() {}

  static final class Encoder {
    private final RleColumn.Encoder rle = new RleColumn.Encoder(true);
    private long prev;

    /** Forgets everything appended, keeping the buffers. */
    void reset() {
      rle.reset();
      prev = 0;
    }

    void append(long v) {
      rle.append(v - prev);
      prev = v;
    }

    void appendNull() {
      rle.appendNull();
    }

    byte[] finish() {
      prev = 0;
      return rle.finish();
    }
  }

  /** Reads exactly {@code rows} rows; absent (null reader) is all nulls. */
  static final class Decoder {
    private final RleColumn.Decoder rle;
    private final ByteReader in;
    private final String what;
    private long value;

    Decoder(ByteReader in, long rows, String what) {
      this.rle = new RleColumn.Decoder(in, true, rows, what);
      this.in = in;
      this.what = what;
    }

    /** Advances one row; false for null. */
    boolean next() {
      if (!rle.next()) {
        return false;
      }
      long d = rle.value();
      long v = value + d;
      if (((value ^ v) & (d ^ v)) < 0) {
        throw new DecodeException(in.offset(), what + ": a delta that keeps the value within 64 bits");
      }
      value = v;
      return true;
    }

    long value() {
      return value;
    }

    void finish() {
      rle.finish();
    }
  }
}
