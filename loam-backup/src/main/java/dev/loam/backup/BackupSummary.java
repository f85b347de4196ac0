package dev.loam.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@link Backup#create} wrote. Immutable.
 *
 * @param file the archive, under its final name
 * @param backupId the new backup's id
 * @param parentId the parent backup's id for an incremental, else empty
 * @param created the creation time recorded in the archive
 * @param documents documents the backup holds (every entry but the removed ones)
 * @param full entries of kind FULL
 * @param incremental entries of kind INCREMENTAL
 * @param unchanged entries of kind UNCHANGED
 * @param removed entries of kind REMOVED
 * @param secure secure documents among {@code documents}
 * @param dataBytes the entries' data bytes (before encryption)
 * @param bytes the archive file's size
 * @param warnings what the source's storage held that could not be backed up as is (a chunk that
 *     does not load is skipped, as a repo opening that storage would skip it), one line each
 */
public record BackupSummary(
    Path file,
    UUID backupId,
    Optional<UUID> parentId,
    Instant created,
    int documents,
    int full,
    int incremental,
    int unchanged,
    int removed,
    int secure,
    long dataBytes,
    long bytes,
    List<String> warnings) {
  public BackupSummary {
    warnings = List.copyOf(warnings);
  }
}
