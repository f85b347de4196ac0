package dev.loam.typed;

/**
 * A number that merges by addition: stored as an Automerge counter, and written as an increment
 * by the difference from the document's value, so two replicas that each add 1 end at 2.
 *
 * @param value the counter's value
 */
public record Counter(long value) {
  /** A counter at zero. */
  public static final Counter ZERO = new Counter(0);

  /** A counter at {@code value}. */
  public static Counter of(long value) {
    return new Counter(value);
  }

  /** This counter plus {@code delta}. */
  public Counter plus(long delta) {
    return new Counter(value + delta);
  }
}
