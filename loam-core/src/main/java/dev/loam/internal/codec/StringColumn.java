package dev.loam.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  /** Canonical writer: the state machine of {@link RleEncoder} over strings. */
  static final class Encoder extends RleEncoder {
    private String last = "";
    private final List<String> literal = new ArrayList<>();

    void append(String v) {
      Objects.requireNonNull(v);
      value(last.equals(v));
      last = v;
    }

    /** Appends {@code v}, or a null when {@code v} is null. */
    void appendNullable(@Nullable String v) {
      if (v == null) {
        appendNull();
      } else {
        append(v);
      }
    }

    @Override
    void writeLast() {
      out.writeString(last);
    }

    @Override
    void pushLastToLiteral() {
      literal.add(last);
    }

    @Override
    int literalSize() {
      return literal.size();
    }

    @Override
    void writeLiteralValues() {
      for (String s : literal) {
        out.writeString(s);
      }
      literal.clear();
    }

    @Override
    void resetValues() {
      last = "";
      literal.clear();
    }
  }

  /** Reads exactly {@code rows} rows; absent (null reader) is all nulls. */
  static final class Decoder extends RunReader {
    private @Nullable String value;

    Decoder(ByteReader in, long rows, String what) {
      super(in, rows, what);
    }

    /** The next row's string, or null. */
    @Nullable String next() {
      int kind = advance();
      if (kind == NULLS) {
        return null;
      }
      return kind == LITERAL ? in.readString(what) : value;
    }

    @Override
    void readRepeated() {
      value = in.readString(what);
    }
  }
}
