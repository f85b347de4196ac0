package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The state a verified chain restores to (after any as-of cut), held in memory: what
 * {@link Backup#read} gives a caller that restores by other means than a storage adapter. To
 * restore into a running server, for example, restore into an
 * {@link dev.loam.repo.storage.InMemoryStorageAdapter} (or load each {@link Plain#save()}), open a
 * repo on it connected to the server, and let sync carry the documents in: connected clients then
 * receive them as ordinary sync messages. Immutable.
 *
 * @param backupId the id of the chain's last archive
 * @param created the creation time of the chain's last archive
 * @param plain every plain document, sorted by id
 * @param secure every secure document, sorted by id
 * @param notYetCreated documents with no change at or before the as-of time (left out)
 */
public record BackupContents(
    UUID backupId, Instant created, List<Plain> plain, List<Secure> secure, List<DocumentId> notYetCreated) {
  public BackupContents {
    plain = List.copyOf(plain);
    secure = List.copyOf(secure);
    notYetCreated = List.copyOf(notYetCreated);
  }

  /**
   * A plain document: its heads and its compacted Automerge save at those heads.
   *
   * @param id the document's id
   * @param heads its heads
   * @param save {@code Document.save()} bytes at those heads
   */
  public record Plain(DocumentId id, Heads heads, Bytes save) {}

  /**
   * A secure document: its signed items in storage order (the genesis first), each verified.
   *
   * @param id the document's id
   * @param heads its membership heads then its envelope heads, as the manifest lists them
   * @param items each item's signed encoding, as {@code SecureItem.decode} reads it
   */
  public record Secure(DocumentId id, List<Bytes> heads, List<Bytes> items) {
    public Secure {
      heads = List.copyOf(heads);
      items = List.copyOf(items);
    }
  }
}
