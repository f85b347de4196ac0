package dev.loam.repo.spi;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;

/**
 * Transforms one document's bytes where they leave and enter a repo: each chunk on its way to and
 * from storage, and the data of each {@code sync} and {@code request} message on its way to and
 * from a peer. A module that seals some documents (encrypts, signs) implements it and gives it to
 * {@code RepoBuilder.documentHook}; every method receives the document's id, so one hook decides
 * per document and passes the others through. Each method defaults to the identity.
 *
 * <p>Contract: {@code fromStorage(id, toStorage(id, chunk))} is {@code chunk}, and a peer's
 * {@code fromPeer} undoes this side's {@code toPeer}. To reject bytes (a chunk or a message it did
 * not write, or one that fails its check) a method throws a {@link dev.loam.LoamException} such as
 * {@link StorageException}: the repo then skips that chunk with a warning, or drops that message
 * leaving the document unchanged, as it does with any unreadable chunk or bad message. A chunk's
 * storage key is derived from the transformed bytes (incremental chunks) or from the document's
 * heads (snapshots), so a hook hides contents, not the shape of the history. A {@code toStorage}
 * or {@code toPeer} that throws fails that save or send as a storage failure would. Ephemeral
 * messages (presence, cursors) do not pass through the hook; {@code Repo.export} gives the
 * document's plain bytes.
 *
 * <p>Implementations are thread-safe: the repo calls them from many threads at once (never
 * concurrently for one document and direction), on its document threads; they should not block
 * for long.
 */
public interface DocumentHook {
  /** Passes every document's bytes through unchanged; a repo's default. */
  DocumentHook NONE = new DocumentHook() {};

  /** The bytes to store for {@code chunk} (a saved document or an incremental save of it). */
  default Bytes toStorage(DocumentId document, Bytes chunk) {
    return chunk;
  }

  /** The chunk that {@link #toStorage} turned into {@code stored}. */
  default Bytes fromStorage(DocumentId document, Bytes stored) {
    return stored;
  }

  /** The data to send to {@code peer} for the encoded sync message {@code syncMessage}. */
  default Bytes toPeer(DocumentId document, PeerId peer, Bytes syncMessage) {
    return syncMessage;
  }

  /** The encoded sync message that {@code peer}'s {@link #toPeer} turned into {@code data}. */
  default Bytes fromPeer(DocumentId document, PeerId peer, Bytes data) {
    return data;
  }
}
