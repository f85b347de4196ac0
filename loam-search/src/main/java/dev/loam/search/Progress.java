package dev.loam.search;

/**
 * Hears how far a catch-up or a rebuild has come: {@code done} documents of {@code total}. Called
 * on the thread that runs the catch-up, after each document and once at the end.
 */
@FunctionalInterface
public interface Progress {
  /** Hears nothing. */
  Progress NONE = (done, total) -> {};

  void update(int done, int total);
}
