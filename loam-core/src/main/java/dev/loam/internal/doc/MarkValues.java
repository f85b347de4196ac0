package dev.loam.internal.doc;

import dev.loam.ScalarValue;

/** Equality of scalar values as Automerge compares them (f64 by ==, so 0.0 == -0.0 and NaN != NaN). */
final class MarkValues {
  private MarkValues() {}

  static boolean same(ScalarValue a, ScalarValue b) {
    if (a instanceof ScalarValue.F64 x && b instanceof ScalarValue.F64 y) {
      return x.value() == y.value();
    }
    return a.equals(b);
  }
}
