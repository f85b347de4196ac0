package dev.loam.backup;

import java.util.List;

/**
 * An archive (or a chain) failed verification: a checksum, the framing, a document that does not
 * load or whose heads differ from the manifest's. Carries every fault found, each naming the
 * archive, the document (when one is concerned) and the check. Nothing was written when this is
 * thrown by a restore.
 */
public final class BackupCorruptException extends BackupException {
  private final List<Fault> faults;

  /** An exception for {@code faults} (at least one). */
  public BackupCorruptException(List<Fault> faults) {
    super(message(faults));
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("a corrupt archive has at least one fault");
    }
    this.faults = List.copyOf(faults);
  }

  /** Every fault found, in the order the checks ran. */
  public List<Fault> faults() {
    return faults;
  }

  private static String message(List<Fault> faults) {
    if (faults.isEmpty()) {
      return "corrupt backup";
    }
    String first = faults.get(0).toString();
    return faults.size() == 1 ? "corrupt backup: " + first
        : "corrupt backup: " + first + " (and " + (faults.size() - 1) + " more fault(s))";
  }
}
