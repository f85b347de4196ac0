package dev.loam.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An archive's header and manifest, as {@link Backup#list} reads them after checking the file's
 * checksum. Immutable.
 *
 * @param file the archive file
 * @param formatVersion the archive's format version
 * @param backupId the backup's random id
 * @param parentId the id of the archive this one continues, or empty for a full backup
 * @param created when the backup was taken (the writer's clock)
 * @param encrypted whether the archive is encrypted with a passphrase
 * @param size the file's size in bytes
 * @param entries the manifest's entries, one per document, sorted by document id
 */
public record ArchiveInfo(
    Path file,
    int formatVersion,
    UUID backupId,
    Optional<UUID> parentId,
    Instant created,
    boolean encrypted,
    long size,
    List<ArchiveEntry> entries) {
  public ArchiveInfo {
    entries = List.copyOf(entries);
  }

  /** True for a full backup (no parent). */
  public boolean isFull() {
    return parentId.isEmpty();
  }
}
