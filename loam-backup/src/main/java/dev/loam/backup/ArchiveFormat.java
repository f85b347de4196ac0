package dev.loam.backup;

/** The archive format's constants (the layout is drawn in {@code docs/backup-format.md}). */
final class ArchiveFormat {
  /** The only format version this Loam writes and reads. */
  static final int VERSION = 1;

  private ArchiveFormat() {}
}
