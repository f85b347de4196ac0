package dev.loam.internal.codec;

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
  static final class Decoder extends RunReader {
    private String value;

    Decoder(ByteReader in, long rows, String what) {
      super(in, rows, what);
    }

    /** The next row's string, or null. */
    String next() {
      return switch (advance()) {
        case NULLS -> null;
        case REPEAT -> value;
        default -> in.readString(what);
      };
    }

    @Override
    void readRepeated() {
      value = in.readString(what);
    }
  }
}
