package dev.loam;

import java.util.Objects;

/**
 * A value that is not an object: one of Automerge's scalar types. Unknown type codes from newer
 * writers are kept as {@link Unknown} and written back unchanged.
 */
public sealed interface ScalarValue extends Value {
  /** Automerge's null. */
  ScalarValue NULL = new Null();
  /** The boolean {@code true}. */
  ScalarValue TRUE = new Bool(true);
  /** The boolean {@code false}. */
  ScalarValue FALSE = new Bool(false);

  /** A scalar string (JS {@code ImmutableString}), not collaborative text. */
  static ScalarValue of(String s) {
    return new Str(s);
  }

  /** A signed 64-bit integer. */
  static ScalarValue of(long i) {
    return new Int(i);
  }

  /** A 64-bit float. */
  static ScalarValue of(double d) {
    return new F64(d);
  }

  /** {@link #TRUE} or {@link #FALSE}. */
  static ScalarValue of(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** A counter starting at {@code initial}; concurrent increments add up. */
  static ScalarValue counter(long initial) {
    return new Counter(initial);
  }

  /** A timestamp, {@code millis} since the Unix epoch. */
  static ScalarValue timestamp(long millis) {
    return new Timestamp(millis);
  }

  /** An unsigned 64-bit integer held in a long's bits. */
  static ScalarValue uint(long unsigned) {
    return new Uint(unsigned);
  }

  /** A byte array (copied). */
  static ScalarValue bytes(byte[] bytes) {
    return new BytesValue(Bytes.of(bytes));
  }

  /** Automerge's null (JSON {@code null}); {@link #NULL} is the one instance needed. */
  record Null() implements ScalarValue {}

  /** A boolean; {@link #TRUE} and {@link #FALSE} are the two values. */
  record Bool(boolean value) implements ScalarValue {}

  /** A signed 64-bit integer. */
  record Int(long value) implements ScalarValue {}

  /** An unsigned 64-bit integer, held in a long's bits (use {@link Long#toUnsignedString}). */
  record Uint(long value) implements ScalarValue {
    @Override
    public String toString() {
      return "Uint[value=" + Long.toUnsignedString(value) + "]";
    }
  }

  /**
   * A 64-bit IEEE 754 float. Equal when the bits are equal, so {@code NaN} equals itself and
   * {@code 0.0} differs from {@code -0.0}, as Automerge's bytes do.
   */
  record F64(double value) implements ScalarValue {
    @Override
    public boolean equals(Object o) {
      return o instanceof F64 f && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(f.value);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(Double.doubleToRawLongBits(value));
    }
  }

  /** A string scalar, what Automerge JS shows as {@code ImmutableString}; collaborative text is a text object. */
  record Str(String value) implements ScalarValue {
    public Str {
      Objects.requireNonNull(value);
    }
  }

  /** A byte array (JS {@code Uint8Array}). */
  record BytesValue(Bytes value) implements ScalarValue {}

  /** Milliseconds since the Unix epoch. */
  record Timestamp(long millis) implements ScalarValue {}

  /** A counter: its value is the initial value plus every increment applied to it. */
  record Counter(long value) implements ScalarValue {}

  /** A value of a type code (10–15) this version does not know, kept as raw bytes. */
  record Unknown(int typeCode, Bytes bytes) implements ScalarValue {
    public Unknown {
      if (typeCode < 10 || typeCode > 15) {
        throw new IllegalArgumentException("unknown value type codes are 10 to 15, not " + typeCode);
      }
    }
  }
}
