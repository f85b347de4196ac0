package dev.loam.internal.doc;

import dev.loam.ScalarValue;

/** Equality of scalar values in the two senses Automerge uses. */
final class MarkValues {
  private MarkValues() {}

  /** As a put compares with the value there: f64 by {@code ==}, so 0.0 equals -0.0 and NaN equals nothing. */
  static boolean same(ScalarValue a, ScalarValue b) {
    if (a instanceof ScalarValue.F64 x && b instanceof ScalarValue.F64 y) {
      return x.value() == y.value();
    }
    return a.equals(b);
  }
}
