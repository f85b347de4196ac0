package dev.loam.backup;

import java.nio.file.Path;

/**
 * An encrypted archive was opened with no passphrase or a wrong one. Raised only when the file's
 * own checksum is intact, so a damaged file is never reported as a wrong passphrase.
 */
public final class WrongPassphraseException extends BackupException {
  private final Path archive;
  private final boolean missing;

  WrongPassphraseException(Path archive, boolean missing) {
    super(missing ? archive + ": the archive is encrypted; a passphrase is needed"
        : archive + ": wrong passphrase (the archive itself is intact)");
    this.archive = archive;
    this.missing = missing;
  }

  /** The archive that did not open. */
  public Path archive() {
    return archive;
  }

  /** True if no passphrase was given at all, false if the one given is wrong. */
  public boolean passphraseMissing() {
    return missing;
  }
}
