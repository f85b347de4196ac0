package dev.loam.backup;

import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One failed check of a verification, by name: which archive, which document (when the check is
 * about one), which check, and what was found. Immutable.
 *
 * @param archive the archive file the fault is in (for a chain fault, the later of the two)
 * @param document the document concerned, or empty for a fault of the file itself
 * @param check the check that failed
 * @param detail what was expected and what was found, for people
 */
public record Fault(Path archive, Optional<DocumentId> document, Check check, String detail) {
  /** The checks of a verification, in the order they run for one archive. */
  public enum Check {
    /** The file is shorter than a header and a trailer, or a magic number is wrong: truncated or not an archive. */
    FRAMING,
    /** SHA-256 over every byte of the file before the trailer's checksum differs from it. */
    FILE_CHECKSUM,
    /** The format version is not one this Loam reads (see {@link UnsupportedFormatException}). */
    FORMAT_VERSION,
    /** The passphrase is missing or wrong for an encrypted archive (see {@link WrongPassphraseException}). */
    PASSPHRASE,
    /** An encrypted frame does not decrypt (its authentication tag fails). */
    DECRYPTION,
    /** The manifest's own SHA-256 differs from the one stored after it, or the manifest does not parse. */
    MANIFEST_CHECKSUM,
    /** An entry's length or SHA-256 differs from the manifest's. */
    ENTRY_CHECKSUM,
    /** The manifest lists a document that has no entry in the file. */
    MISSING_ENTRY,
    /** The file holds an entry that the manifest does not list. */
    EXTRA_ENTRY,
    /** The file or the manifest holds two entries for one document. */
    DUPLICATE_ENTRY,
    /** A plain document's bytes do not load as Automerge, or lack changes they depend on. */
    DOCUMENT_LOADS,
    /** A secure document's items do not decode, are not correctly signed, or belong to another document. */
    SECURE_ITEMS,
    /** The heads computed from the loaded document differ from the manifest's. */
    HEADS,
    /** The chain is broken: the first archive is not a full backup, or a parent id differs from the previous archive's id, or an incremental entry has no base. */
    PARENT_CHAIN
  }

  @Override
  public String toString() {
    return archive.getFileName() + document.map(d -> ": document " + d).orElse("") + ": " + check + ": " + detail;
  }
}
