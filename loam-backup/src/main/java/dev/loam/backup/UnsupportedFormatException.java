package dev.loam.backup;

import java.nio.file.Path;

/**
 * An archive whose format version this Loam does not know (written by a newer Loam): refused
 * before anything else of it is read. The file may be intact.
 */
public final class UnsupportedFormatException extends BackupException {
  private final Path archive;
  private final int version;

  UnsupportedFormatException(Path archive, int version) {
    super(archive + ": backup format version " + version + " is not supported (this Loam reads version "
        + ArchiveFormat.VERSION + ")");
    this.archive = archive;
    this.version = version;
  }

  /** The archive that was refused. */
  public Path archive() {
    return archive;
  }

  /** The format version the archive declares. */
  public int version() {
    return version;
  }
}
