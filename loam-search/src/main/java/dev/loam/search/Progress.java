package dev.loam.search;

/**
 * Hears how far a catch-up or a rebuild has come: {@code done} documents of {@code total}. Called
 * on the thread that runs the catch-up, after each document that thread indexes (helper threads
 * index others meanwhile, so {@code done} may grow by more than one) and once at the end.
 */
@FunctionalInterface
public interface Progress {
  /** Hears nothing. */
  Progress NONE = (done, total) -> {};

  /** {@code done} of {@code total} documents are checked (and re-indexed or removed where needed). */
  void update(int done, int total);
}
