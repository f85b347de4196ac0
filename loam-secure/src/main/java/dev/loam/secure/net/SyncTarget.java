package dev.loam.secure.net;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.SecureItem;
import java.util.List;

/**
 * What a {@link SecureSyncClient} syncs one document with: the local items and where new ones go.
 * Its methods are called on the thread that calls {@link SecureSyncClient#sync}, one at a time.
 */
public interface SyncTarget {
  /** The document being synced. */
  DocumentId documentId();

  /** Every local item of the document, in a causal order. */
  List<SecureItem> localItems();

  /** Items the server sent, in its order; the target validates, stores and applies them. */
  void received(List<SecureItem> items);
}
