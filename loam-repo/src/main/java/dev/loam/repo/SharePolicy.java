package dev.loam.repo;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;

/**
 * Decides whether this repo <em>announces</em> a document to a peer: syncs it proactively when
 * the peer connects or the document is created or found. A peer that asks for a document by id
 * is answered whatever the policy says (automerge-repo's {@code sharePolicy}). Implementations
 * must be thread-safe and quick; they run on repo threads.
 */
@FunctionalInterface
public interface SharePolicy {
  /** Announce every document to every peer: automerge-repo's default, right for clients. */
  SharePolicy ALWAYS = (peer, document) -> true;

  /** Announce nothing, only answer: the official sync server's {@code async () => false}. */
  SharePolicy NEVER = (peer, document) -> false;

  /** Whether to announce {@code document} to {@code peer} (answering its requests does not depend on this). */
  boolean shouldShare(PeerId peer, DocumentId document);
}
