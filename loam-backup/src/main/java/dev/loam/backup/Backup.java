package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, verifies, lists and restores backup archives: the module's entry points, all static.
 * Thread-safe: calls share no state (two calls must not write the same file at once).
 *
 * <p>A <em>chain</em> is a full archive followed by zero or more incrementals, each created
 * {@code since} the chain before it; every method that reads archives takes the whole chain,
 * full first.
 */
public final class Backup {
  private Backup() {}

  /**
   * Writes a backup of {@code source} to {@code out}: full, or incremental after
   * {@code options.since()} (whose archives are checked first: framing, file
   * checksum, which covers every byte, manifest checksum and the chain's links; their documents
   * are not loaded again, {@link #verify} does that). The file is written under a temporary name
   * in {@code out}'s folder, forced to disk, renamed to {@code out} atomically and the folder
   * forced: a run that fails or is killed never leaves a file under {@code out}, and an existing
   * {@code out} is replaced only by a complete archive. Blocks on the source (for a repo, its
   * {@link dev.loam.repo.Repo#backup} snapshot, which holds back the repo's own storage writes while
   * the chunks are read, not its readers or peers), on PBKDF2 for an encrypted archive (about a
   * second), on file I/O, and on the documents being loaded, one thread per core, a few
   * documents ahead of the writer (the archive is the same as one thread would write).
   *
   * @throws BackupCorruptException if an archive of {@code since} fails verification
   * @throws WrongPassphraseException if {@code since} is encrypted and its passphrase is missing or wrong
   * @throws UnsupportedFormatException if an archive of {@code since} has an unknown format version
   * @throws java.io.UncheckedIOException if writing fails (disk full, no permission); nothing is
   *     left under {@code out} nor under the temporary name
   * @throws dev.loam.repo.spi.StorageException if reading the source fails
   */
  public static BackupSummary create(BackupSource source, Path out, CreateOptions options) {
    return Creator.create(source, out, options, ArchiveWriter.FILES);
  }

  /**
   * Checks a chain without restoring it: every archive's framing and file checksum, its format
   * version, its manifest checksum, every entry's length and SHA-256, no missing, extra or
   * duplicate entry, that the chain links up (each parent id is the previous archive's id), and
   * that every document of the chain's final state loads and has the manifest's heads (secure
   * documents: every item decodes with a valid signature and the computed heads match). Never
   * throws for a bad archive: every fault goes into the report. Blocks on file I/O and on
   * PBKDF2 for encrypted archives.
   *
   * @param chain a full archive, then its incrementals in order (at least one file)
   * @param passphrase opens encrypted archives; a missing or wrong one is a {@link Fault.Check#PASSPHRASE} fault
   * @throws IllegalArgumentException if {@code chain} is empty
   * @throws java.io.UncheckedIOException if a file is missing or cannot be read (a read error is
   *     not a fault of the archive)
   */
  public static VerifyReport verify(List<Path> chain, Optional<Passphrase> passphrase) {
    return verify(chain, passphrase, Progress.NONE);
  }

  /** As {@link #verify(List, Optional)}, reporting to {@code progress}. */
  public static VerifyReport verify(List<Path> chain, Optional<Passphrase> passphrase, Progress progress) {
    ChainReader.Outcome o = ChainReader.read(chain, passphrase, Optional.empty(), progress);
    List<ArchiveInfo> infos = new ArrayList<>();
    for (ArchiveReader.Result r : o.archives()) {
      r.info().ifPresent(infos::add);
    }
    return new VerifyReport(infos, o.faults(), o.state().size());
  }

  /**
   * The header and manifest of one archive, after checking its framing and its file checksum
   * (not the entries: see {@link #verify}). Blocks on file I/O and on PBKDF2 for an encrypted archive.
   *
   * @throws BackupCorruptException if the framing, the file checksum or the manifest checksum fails
   * @throws WrongPassphraseException if the archive is encrypted and the passphrase is missing or wrong
   * @throws UnsupportedFormatException if the format version is unknown
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  public static ArchiveInfo list(Path archive, Optional<Passphrase> passphrase) {
    ArchiveReader.Result r = ArchiveReader.read(archive, passphrase, false);
    r.throwIfFaulty();
    return r.info().orElseThrow();
  }

  /**
   * The state a chain restores to, verified in full (as {@link #verify}) and cut to
   * {@code options.asOf()} if given; {@code options.mode()} is ignored. For restoring by other
   * means than a storage adapter, such as syncing the documents into a running server. Blocks
   * as {@link #verify}; holds every document in memory.
   *
   * @throws BackupCorruptException with every fault if any check fails
   * @throws WrongPassphraseException if an archive is encrypted and the passphrase is missing or wrong
   * @throws UnsupportedFormatException if an archive's format version is unknown
   * @throws java.io.UncheckedIOException if a file cannot be read
   */
  public static BackupContents read(List<Path> chain, RestoreOptions options) {
    ChainReader.Outcome o = ChainReader.read(chain, options.passphrase(), options.asOf(), options.progress());
    o.throwIfFaulty();
    Manifest last = o.last().orElseThrow();
    List<BackupContents.Plain> plain = new ArrayList<>();
    List<BackupContents.Secure> secure = new ArrayList<>();
    List<DocumentId> notYet = new ArrayList<>();
    for (Map.Entry<DocumentId, ChainReader.State> e : o.state().entrySet()) {
      switch (e.getValue()) {
        case ChainReader.State.Plain p -> {
          if (options.asOf().isEmpty() && p.chunks().size() == 1) {
            // a FULL entry alone is the document's compacted save, checked to load to these heads
            plain.add(new BackupContents.Plain(e.getKey(), p.automergeHeads(), p.chunks().get(0)));
            continue;
          }
          Document loaded = p.load();
          Optional<Document> doc = options.asOf().isPresent() ? AsOf.cut(loaded, options.asOf().get()) : Optional.of(loaded);
          if (doc.isEmpty()) {
            notYet.add(e.getKey());
          } else {
            plain.add(new BackupContents.Plain(e.getKey(), doc.get().heads(), Bytes.wrap(doc.get().save())));
          }
        }
        // secure documents carry no readable change times (they are inside the ciphertext): restored whole
        case ChainReader.State.Secure s -> secure.add(new BackupContents.Secure(e.getKey(), s.heads(), s.items()));
      }
    }
    return new BackupContents(last.backupId(), last.created(), plain, secure, notYet);
  }

  /**
   * Restores a chain into {@code target} in the storage layout a repo opens (and secure documents
   * in the {@link dev.loam.secure.SecureStore} layout). The whole chain is read and verified
   * before anything is written; then, in {@link RestoreOptions.Mode#MERGE merge} mode, each
   * document is merged with the target's copy (nothing removed: a restore into a target that
   * already holds everything writes nothing), and in {@link RestoreOptions.Mode#REPLACE replace}
   * mode the target's other contents are removed after everything new is written.
   *
   * <p>Failure: on a target that writes {@linkplain StorageAdapter#atomically atomically} (SQLite)
   * the whole restore is one transaction: a failure, a full disk or a killed process leaves the
   * target exactly as it was. On other targets, if a write fails, every key written or removed so
   * far is put back as it was before the call, then the failure is thrown, so the target is as it
   * was (unless putting back fails too, for example on a dead disk: the exception then carries that
   * failure as suppressed); there a process killed part-way can leave some documents merged and others not (merge mode: every
   * document is either as it was or merged, never torn; running the restore again completes it);
   * in replace mode it can also leave documents of the old contents. The target must not be open
   * in a repo or server while this runs (for a running server, use {@link #read} and sync).
   * Blocks as {@link #read}, then on the target's storage.
   *
   * @throws BackupCorruptException with every fault if any check fails (nothing written)
   * @throws WrongPassphraseException if an archive is encrypted and the passphrase is missing or wrong
   * @throws UnsupportedFormatException if an archive's format version is unknown
   * @throws dev.loam.repo.spi.StorageException if the target fails (the target is put back)
   * @throws java.io.UncheckedIOException if a file cannot be read (nothing written)
   */
  public static RestoreSummary restore(List<Path> chain, StorageAdapter target, RestoreOptions options) {
    return Restorer.restore(read(chain, options), target, options);
  }
}
