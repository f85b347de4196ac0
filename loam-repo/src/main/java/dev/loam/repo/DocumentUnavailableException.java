package dev.loam.repo;

import dev.loam.LoamException;
import dev.loam.repo.id.DocumentId;

/**
 * A document could not be had: no storage holds it and every peer asked said it has none (or no
 * peer answered in time), or it was deleted. {@link #state()} says which.
 */
public final class DocumentUnavailableException extends LoamException {
  private final DocumentId documentId;
  private final DocHandle.State state;

  /** The document {@code documentId} is unavailable, being in {@code state}. */
  public DocumentUnavailableException(DocumentId documentId, DocHandle.State state) {
    super("document " + documentId + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
    this.documentId = documentId;
    this.state = state;
  }

  /** The document that could not be had. */
  public DocumentId documentId() {
    return documentId;
  }

  /** {@link DocHandle.State#UNAVAILABLE} or {@link DocHandle.State#DELETED}. */
  public DocHandle.State state() {
    return state;
  }
}
