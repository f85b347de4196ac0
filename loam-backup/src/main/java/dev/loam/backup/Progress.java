package dev.loam.backup;

/**
 * Hears how far a long run (create, verify, restore) has come. Called on the thread that runs it,
 * never concurrently; it should return quickly.
 */
@FunctionalInterface
public interface Progress {
  /** Hears nothing. */
  Progress NONE = (phase, done, total) -> {};

  /** The steps of a run, in order; a run reports only those it has. */
  enum Phase {
    /** Reading the source's storage (create) or an archive (verify, restore, list). */
    READ,
    /** Loading and checking documents. */
    CHECK,
    /** Writing the archive (create) or the target storage (restore). */
    WRITE
  }

  /**
   * {@code done} of {@code total} documents of {@code phase} are finished ({@code total} may be 0
   * when there is nothing to do).
   */
  void update(Phase phase, long done, long total);
}
