package dev.loam.backup;

import java.util.List;

/**
 * The outcome of {@link Backup#verify}: the archives that opened and every fault found. Immutable.
 *
 * @param archives each archive of the chain whose header and manifest could be read, in chain order
 * @param faults every failed check, in the order the checks ran; empty when the chain is whole
 * @param documents the documents checked in the chain's final state (loaded, heads compared)
 */
public record VerifyReport(List<ArchiveInfo> archives, List<Fault> faults, int documents) {
  public VerifyReport {
    archives = List.copyOf(archives);
    faults = List.copyOf(faults);
  }

  /** True if every check passed. */
  public boolean ok() {
    return faults.isEmpty();
  }
}
