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
 * <p>Implementation notes: the encoder is Automerge's canonical state machine (two equal adjacent
 * values always form a run; a column of nulls only is empty; leading nulls are written when values
 * follow). The decoder is told how many rows the column has and rejects a run that would go past
 * them, so a hostile run of 2^60 nulls costs nothing.
 */
final class RleColumn {
  private RleColumn() {}

  /** Encoder states. */
  private enum State {
    EMPTY,
    INITIAL_NULLS,
    NULLS,
    LONE,
    RUN,
    LITERAL
  }

  /** Canonical RLE writer for one column. */
  static final class Encoder {
    private final boolean signed;
    private final ByteWriter out = new ByteWriter();
    private State state = State.EMPTY;
    private long count;
    private long last;
    private long[] literal = new long[8];
    private int literalSize;

    Encoder(boolean signed) {
      this.signed = signed;
    }

    /** Forgets everything appended, keeping the buffers, so one encoder serves many columns. */
    void reset() {
      out.reset();
      state = State.EMPTY;
      count = 0;
      last = 0;
      literalSize = 0;
    }

    private void writeValue(long v) {
      if (signed) {
        out.writeSleb(v);
      } else {
        out.writeUleb(v);
      }
    }

    private void pushLiteral(long v) {
      if (literalSize == literal.length) {
        literal = java.util.Arrays.copyOf(literal, literalSize * 2);
      }
      literal[literalSize++] = v;
    }

    private void flushLiteral() {
      out.writeSleb(-literalSize);
      for (int i = 0; i < literalSize; i++) {
        writeValue(literal[i]);
      }
      literalSize = 0;
    }

    private void flushNulls() {
      out.writeSleb(0).writeUleb(count);
    }

    private void flushRun() {
      out.writeSleb(count);
      writeValue(last);
    }

    void append(long v) {
      if (state == State.RUN && last == v) {
        count++; // the common case, without the switch
        return;
      }
      switch (state) {
        case EMPTY -> state = State.LONE;
        case INITIAL_NULLS, NULLS -> {
          flushNulls();
          state = State.LONE;
        }
        case LONE -> {
          if (last == v) {
            state = State.RUN;
            count = 2;
          } else {
            pushLiteral(last);
            state = State.LITERAL;
          }
        }
        case RUN -> {
          if (last == v) {
            count++;
          } else {
            flushRun();
            state = State.LONE;
          }
        }
        case LITERAL -> {
          if (last == v) {
            flushLiteral();
            state = State.RUN;
            count = 2;
          } else {
            pushLiteral(last);
          }
        }
      }
      last = v;
    }

    void appendNull() {
      if (state == State.NULLS || state == State.INITIAL_NULLS) {
        count++;
        return;
      }
      switch (state) {
        case EMPTY -> {
          state = State.INITIAL_NULLS;
          count = 1;
          return;
        }
        case INITIAL_NULLS, NULLS -> {
          count++;
          return;
        }
        case LONE -> {
          out.writeSleb(-1);
          writeValue(last);
        }
        case RUN -> flushRun();
        case LITERAL -> {
          pushLiteral(last);
          flushLiteral();
        }
      }
      state = State.NULLS;
      count = 1;
    }

    /** Ends the column and returns its bytes (empty for a column of nulls only). */
    byte[] finish() {
      switch (state) {
        case EMPTY, INITIAL_NULLS -> {}
        case NULLS -> flushNulls();
        case LONE -> {
          out.writeSleb(-1);
          writeValue(last);
        }
        case RUN -> flushRun();
        case LITERAL -> {
          pushLiteral(last);
          flushLiteral();
        }
      }
      state = State.EMPTY;
      return out.toByteArray();
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
