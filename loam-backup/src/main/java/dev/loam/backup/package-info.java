/**
 * Backup and verified restore of a repo's storage.
 *
 * <p>Start with {@link dev.loam.backup.Backup}: {@code Backup.create(BackupSource.of(repo), out,
 * CreateOptions.full())} writes an archive; {@code Backup.verify(List.of(full, incr1, incr2),
 * Optional.empty())} checks a chain without restoring it; {@code Backup.restore(chain, target,
 * RestoreOptions.merge())} brings it back into a {@link dev.loam.repo.spi.StorageAdapter}. The byte
 * layout of an archive is in {@code docs/backup-format.md}.
 *
 * <p>Back up a running repo, check the file without restoring it, and restore it into an empty
 * storage:
 * {@snippet class=dev.loam.backup.BackupExampleTest region=example}
 *
 * <p>What is backed up: every plain document (keys {@code [docId, "snapshot"|"incremental", …]})
 * and every secure document (keys {@code ["loam-secure", docId, "seq", …]}). What is not: sync
 * states, the storage's id, secure verification marks, and anything derived (a search index lives
 * outside the storage and is rebuilt from the documents).
 */
@NullMarked
package dev.loam.backup;

import org.jspecify.annotations.NullMarked;
