package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import java.util.List;
import java.util.Objects;

/**
 * One document as an archive's manifest lists it. Immutable.
 *
 * @param document the document's id
 * @param secure true for a secure document (stored as its signed items), false for a plain one
 * @param kind what the entry holds
 * @param heads the document's heads at the backup: Automerge change hashes for a plain document;
 *     for a secure one its membership heads then its envelope heads (op and envelope ids), each
 *     sorted; empty for a removed document
 * @param length the entry's data length in bytes (0 for {@link Kind#UNCHANGED} and {@link Kind#REMOVED})
 * @param sha256 SHA-256 of the entry's data (of the empty string when there is none)
 */
public record ArchiveEntry(DocumentId document, boolean secure, Kind kind, List<Bytes> heads, long length, Bytes sha256) {
  /** What an entry holds. */
  public enum Kind {
    /**
     * The whole document: a plain document's compacted Automerge save ({@code Document.save()},
     * which loads on its own in any Automerge implementation), or every signed item of a secure one
     * (membership ops and envelopes as a server stores them, in storage order).
     */
    FULL,
    /**
     * What the document gained after its heads in the parent archive: a plain document's changes
     * ({@code saveSince(parent heads)}), or the signed items the parent chain lacks.
     */
    INCREMENTAL,
    /** A document whose heads are those of the parent archive: no data. */
    UNCHANGED,
    /** A document the parent archive holds that the source no longer does: no data, no heads. */
    REMOVED
  }

  public ArchiveEntry {
    Objects.requireNonNull(document);
    Objects.requireNonNull(kind);
    heads = List.copyOf(heads);
    Objects.requireNonNull(sha256);
    if (length < 0) {
      throw new IllegalArgumentException("negative entry length " + length);
    }
  }

  /** The document's URL: {@code automerge:…} for a plain document, {@code loam-secure:…} for a secure one. */
  public String url() {
    return (secure ? "loam-secure:" : "automerge:") + document;
  }

  /** The heads as lowercase hex, comma-separated (empty for none). */
  public String headsHex() {
    return hex(heads);
  }

  /** {@code heads} as lowercase hex, comma-separated. */
  static String hex(List<Bytes> heads) {
    StringBuilder sb = new StringBuilder();
    for (Bytes h : heads) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(h.hex());
    }
    return sb.toString();
  }
}
