package dev.loam.internal.codec;

import dev.loam.DecodeException;

/**
 * Run-length encoding of nullable 64-bit integers, as uLEB (group, actor, integer and value
 * metadata columns) or sLEB (the deltas of a delta column).
 *
 * <pre>
 * +--------------------+---------------------------------------------+
 * | sLEB header n      | followed by                                 |
 * +--------------------+---------------------------------------------+
 * | n &gt; 0             | one value, repeated n times                 |
 * | n &lt; 0             | |n| values, each appearing once (a literal) |
 * | n = 0              | uLEB count of nulls                         |
 * +--------------------+---------------------------------------------+
 * [0,0,0,null,null,1,2,3]  -&gt;  03 00 | 00 02 | 7D 01 02 03
 * </pre>
 *
 * <p>Implementation notes: the encoder is Automerge's canonical state machine, shared with the
 * string column ({@link RleEncoder}). The decoder is told how many rows the column has and rejects a run that would go past
 * them, so a hostile run of 2^60 nulls costs nothing.
 */
final class RleColumn {
  private RleColumn() {}

  /** Canonical RLE writer for one column of 64-bit integers. */
  static final class Encoder extends RleEncoder {
    private final boolean signed;
    private long last;
    private long[] literal = new long[8];
    private int literalSize;

    Encoder(boolean signed) {
      this.signed = signed;
    }

    void append(long v) {
      if (inRun() && last == v) {
        extendRun(); // the common case, without the state machine's switch
        return;
      }
      value(last == v);
      last = v;
    }

    private void writeValue(long v) {
      if (signed) {
        out.writeSleb(v);
      } else {
        out.writeUleb(v);
      }
    }

    @Override
    void writeLast() {
      writeValue(last);
    }

    @Override
    void pushLastToLiteral() {
      if (literalSize == literal.length) {
        literal = java.util.Arrays.copyOf(literal, literalSize * 2);
      }
      literal[literalSize++] = last;
    }

    @Override
    int literalSize() {
      return literalSize;
    }

    @Override
    void writeLiteralValues() {
      for (int i = 0; i < literalSize; i++) {
        writeValue(literal[i]);
      }
      literalSize = 0;
    }

    @Override
    void resetValues() {
      last = 0;
      literalSize = 0;
    }
  }

  /**
   * Counts the rows of an RLE column without expanding any run.
   *
   * @param valueKind 'u' for uLEB values, 's' for sLEB, 'b' for length-prefixed byte strings
   * @param limit the most rows allowed
   */
  static long countRows(ByteReader in, char valueKind, long limit, String what) {
    long rows = 0;
    while (!in.atEnd()) {
      long at = in.offset();
      long n = in.readSleb();
      long len;
      if (n > 0) {
        skipValue(in, valueKind, what);
        len = n;
      } else if (n < 0) {
        if (n == Long.MIN_VALUE) {
          throw new DecodeException(at, what + ": a literal run length that fits in 63 bits");
        }
        len = -n;
        for (long i = 0; i < len; i++) {
          skipValue(in, valueKind, what);
        }
      } else {
        len = in.readUleb();
        if (len <= 0) {
          throw new DecodeException(at, what + ": a null run of 1 to 2^63-1 rows");
        }
      }
      if (len > limit - rows) {
        throw new DecodeException(at, what + ": at most " + limit + " rows");
      }
      rows += len;
    }
    return rows;
  }

  private static void skipValue(ByteReader in, char valueKind, String what) {
    switch (valueKind) {
      case 'u' -> in.readUleb();
      case 's' -> in.readSleb();
      default -> in.slice(in.readLength(what + " string"), what);
    }
  }

  /**
   * Reads an RLE column of exactly {@code rows} rows, one row per {@link #next()}. An absent column
   * (null reader) is all nulls.
   */
  static final class Decoder extends RunReader {
    private final boolean signed;
    private long value;

    Decoder(ByteReader in, boolean signed, long rows, String what) {
      super(in, rows, what);
      this.signed = signed;
    }

    /** Advances one row; returns false for null, true when {@link #value()} holds the row's value. */
    boolean next() {
      int kind = advance();
      if (kind == LITERAL) {
        value = readValue();
      }
      return kind != NULLS;
    }

    long value() {
      return value;
    }

    @Override
    void readRepeated() {
      value = readValue();
    }

    private long readValue() {
      return signed ? in.readSleb() : in.readUleb();
    }
  }
}
