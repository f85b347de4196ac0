package dev.loam;

import java.util.List;
import java.util.function.Supplier;

/**
 * What applying a batch of changes did. The patches are computed on first request (as the diff
 * between the heads before and after the batch), so callers that do not need them pay nothing.
 */
public final class LoadResult {
  private final int applied;
  private final int pending;
  private final long truncatedAt;
  private final Heads before;
  private final Heads after;
  private Supplier<List<Patch>> patchSource;
  private List<Patch> patches;

  /**
   * @param applied how many changes became part of the history
   * @param pending how many changes now wait for missing dependencies
   * @param truncatedAt the byte offset at which a torn final chunk started, or -1 if the input was whole
   * @param patches computes what changed in the current state between {@code before} and {@code after}
   */
  public LoadResult(int applied, int pending, long truncatedAt, Heads before, Heads after, Supplier<List<Patch>> patches) {
    this.applied = applied;
    this.pending = pending;
    this.truncatedAt = truncatedAt;
    this.before = before;
    this.after = after;
    this.patchSource = patches;
  }

  /** How many changes became part of the history. */
  public int applied() {
    return applied;
  }

  /** How many changes wait for missing dependencies after this batch. */
  public int pending() {
    return pending;
  }

  /** The byte offset at which a torn final chunk started, or -1 if the input was whole. */
  public long truncatedAt() {
    return truncatedAt;
  }

  /** Whether the input ended in a torn final chunk ({@link #truncatedAt()} is not -1). */
  public boolean truncated() {
    return truncatedAt >= 0;
  }

  /** The heads before the batch. */
  public Heads before() {
    return before;
  }

  /** The heads after the batch. */
  public Heads after() {
    return after;
  }

  /** What changed in the current state, for updating a view (Automerge JS's patch shapes). */
  public synchronized List<Patch> patches() {
    if (patches == null) {
      patches = applied == 0 ? List.of() : List.copyOf(patchSource.get());
      patchSource = null;
    }
    return patches;
  }

  @Override
  public String toString() {
    return "LoadResult[applied=" + applied + ", pending=" + pending + ", truncatedAt=" + truncatedAt + "]";
  }
}
