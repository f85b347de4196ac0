package dev.loam.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Collects every discrepancy of one seed, so a run reports all of them rather than the first;
 * a Loam exception in one check is recorded and the other checks still run.
 */
final class Checks {
  private final List<String> failures = new ArrayList<>();

  void fail(String what) {
    failures.add(what);
  }

  /** Compares JSON by value; {@code expected} comes from JS. */
  void json(String what, JsonNode expected, Supplier<JsonNode> loam) {
    JsonNode actual;
    try {
      actual = loam.get();
    } catch (RuntimeException e) {
      failures.add(what + ": Loam threw " + describe(e) + "\n    JS:   " + LoamJson.canonical(expected));
      return;
    }
    if (!LoamJson.same(expected, actual)) {
      if (expected.isArray() && actual.isArray() && sameMultiset(expected, actual)) {
        what += " (the same elements in a different order)";
      }
      failures.add(what + "\n    JS:   " + LoamJson.canonical(expected) + "\n    Loam: " + LoamJson.canonical(actual));
    }
  }

  void equal(String what, Object expected, Supplier<Object> loam) {
    Object actual;
    try {
      actual = loam.get();
    } catch (RuntimeException e) {
      failures.add(what + ": Loam threw " + describe(e) + "\n    JS:   " + expected);
      return;
    }
    if (!expected.equals(actual)) {
      failures.add(what + "\n    JS:   " + expected + "\n    Loam: " + actual);
    }
  }

  /** Runs {@code body}; an exception becomes a recorded failure. Returns whether it completed. */
  boolean run(String what, Runnable body) {
    try {
      body.run();
      return true;
    } catch (RuntimeException e) {
      failures.add(what + ": Loam threw " + describe(e));
      return false;
    }
  }

  private static boolean sameMultiset(JsonNode a, JsonNode b) {
    if (a.size() != b.size()) {
      return false;
    }
    java.util.List<String> x = new ArrayList<>();
    java.util.List<String> y = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      x.add(LoamJson.canonical(a.get(i)));
      y.add(LoamJson.canonical(b.get(i)));
    }
    java.util.Collections.sort(x);
    java.util.Collections.sort(y);
    return x.equals(y);
  }

  static String describe(Throwable e) {
    StackTraceElement[] st = e.getStackTrace();
    String where = st.length > 0 ? " at " + st[0] : "";
    return e.getClass().getSimpleName() + ": " + e.getMessage() + where;
  }

  boolean ok() {
    return failures.isEmpty();
  }

  /** Throws an AssertionError listing every failure (at most 25). */
  void verify() {
    if (failures.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder(failures.size() + " discrepancies:");
    for (int i = 0; i < Math.min(25, failures.size()); i++) {
      sb.append("\n  - ").append(failures.get(i));
    }
    if (failures.size() > 25) {
      sb.append("\n  … and ").append(failures.size() - 25).append(" more");
    }
    throw new AssertionError(sb.toString());
  }
}
