package dev.loam;

import java.util.List;

/**
 * What applying a batch of changes did.
 *
 * @param applied how many changes became part of the history
 * @param pending how many changes now wait for missing dependencies
 * @param patches what changed in the current state, for updating a view
 * @param truncatedAt the byte offset at which a torn final chunk started, or -1 if the input was whole
 */
public record LoadResult(int applied, int pending, List<Patch> patches, long truncatedAt) {
  public boolean truncated() {
    return truncatedAt >= 0;
  }
}
