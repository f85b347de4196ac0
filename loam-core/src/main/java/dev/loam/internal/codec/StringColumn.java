package dev.loam.internal.codec;

import dev.loam.DecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A column of nullable strings: RLE (see {@link RleColumn}) whose values are a uLEB byte length
 * followed by UTF-8. The empty string is a value ({@code 00}), not a null.
 *
 * <pre>
 * ["a", "a", null, "bc"]  -&gt;  02 01 61 | 00 01 | 7F 02 62 63
 * </pre>
 */
final class StringColumn {
  private StringColumn() {}

  private enum State {
    EMPTY,
    INITIAL_NULLS,
    NULLS,
    LONE,
    RUN,
    LITERAL
  }

  /** Canonical writer: the same state machine as {@link RleColumn.Encoder}. */
  static final class Encoder {
    private final ByteWriter out = new ByteWriter();
    private State state = State.EMPTY;
    private long count;
    private String last = "";
    private final List<String> literal = new ArrayList<>();

    /** Forgets everything appended, keeping the buffers. */
    void reset() {
      out.reset();
      state = State.EMPTY;
      count = 0;
      last = "";
      literal.clear();
    }

    private void flushLiteral() {
      out.writeSleb(-literal.size());
      for (String s : literal) {
        out.writeString(s);
      }
      literal.clear();
    }

    private void flushRun() {
      out.writeSleb(count).writeString(last);
    }

    private void flushNulls() {
      out.writeSleb(0).writeUleb(count);
    }

    void append(String v) {
      Objects.requireNonNull(v);
      switch (state) {
        case EMPTY -> state = State.LONE;
        case INITIAL_NULLS, NULLS -> {
          flushNulls();
          state = State.LONE;
        }
        case LONE -> {
          if (last.equals(v)) {
            state = State.RUN;
            count = 2;
          } else {
            literal.add(last);
            state = State.LITERAL;
          }
        }
        case RUN -> {
          if (last.equals(v)) {
            count++;
          } else {
            flushRun();
            state = State.LONE;
          }
        }
        case LITERAL -> {
          if (last.equals(v)) {
            flushLiteral();
            state = State.RUN;
            count = 2;
          } else {
            literal.add(last);
          }
        }
      }
      last = v;
    }

    /** Appends {@code v}, or a null when {@code v} is null. */
    void appendNullable(String v) {
      if (v == null) {
        appendNull();
      } else {
        append(v);
      }
    }

    void appendNull() {
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
        case LONE -> out.writeSleb(-1).writeString(last);
        case RUN -> flushRun();
        case LITERAL -> {
          literal.add(last);
          flushLiteral();
        }
      }
      state = State.NULLS;
      count = 1;
    }

    byte[] finish() {
      switch (state) {
        case EMPTY, INITIAL_NULLS -> {}
        case NULLS -> flushNulls();
        case LONE -> out.writeSleb(-1).writeString(last);
        case RUN -> flushRun();
        case LITERAL -> {
          literal.add(last);
          flushLiteral();
        }
      }
      state = State.EMPTY;
      return out.toByteArray();
    }
  }

  /** Reads exactly {@code rows} rows; absent (null reader) is all nulls. */
  static final class Decoder {
    private final ByteReader in;
    private final String what;
    private final long rows;
    private long rowsLeft;
    private long runLeft;
    private int kind; // 0 nulls, 1 repeat, 2 literal
    private String value;

    Decoder(ByteReader in, long rows, String what) {
      this.in = in;
      this.rows = rows;
      this.rowsLeft = rows;
      this.what = what;
    }

    /** The next row's string, or null. */
    String next() {
      if (rowsLeft <= 0) {
        throw new IllegalStateException("past the last row");
      }
      rowsLeft--;
      if (in == null) {
        return null;
      }
      if (runLeft == 0) {
        if (in.atEnd()) {
          throw in.error(what + ": " + rows + " rows, found " + (rows - rowsLeft - 1));
        }
        long at = in.offset();
        long n = in.readSleb();
        if (n > 0) {
          kind = 1;
          runLeft = n;
          value = in.readString(what);
        } else if (n < 0) {
          if (n == Long.MIN_VALUE) {
            throw new DecodeException(at, what + ": a literal run length that fits in 63 bits");
          }
          kind = 2;
          runLeft = -n;
        } else {
          kind = 0;
          runLeft = in.readUleb();
          if (runLeft <= 0) {
            throw new DecodeException(at, what + ": a null run of 1 to 2^63-1 rows");
          }
        }
        if (runLeft - 1 > rowsLeft) {
          throw new DecodeException(at, what + ": a run of at most " + (rowsLeft + 1) + " rows, found " + runLeft);
        }
      }
      runLeft--;
      return switch (kind) {
        case 0 -> null;
        case 1 -> value;
        default -> in.readString(what);
      };
    }

    void finish() {
      if (in != null && (runLeft != 0 || !in.atEnd())) {
        throw in.error(what + ": the end of the column after " + rows + " rows");
      }
    }
  }
}
