package dev.loam.secure;

import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.secure.net.SyncTarget;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Secure documents kept beside a {@link Repo}'s plain ones, in the same storage (under keys that
 * start with {@code "loam-secure"}, which the repo's own code ignores), as one identity sees them.
 * Thread-safe itself; each {@link SecureDocument} it returns is not, and belongs to its caller.
 *
 * <p>Start with {@link #of(Repo, Identity)}, then {@link #create()} or {@link #open(DocumentId)};
 * write on {@link SecureDocument#document()} and {@link #save} to seal and store; {@link
 * #syncTarget} gives what {@code SecureSyncClient.sync} syncs. Every method that touches storage
 * blocks on the storage adapter.
 */
public final class SecureRepo {
  private final SecureStore store;
  private final Identity me;
  private final SecureRandom random;
  private final VerificationMarks marks;

  private SecureRepo(SecureStore store, Identity me, SecureRandom random) {
    this.store = store;
    this.me = me;
    this.random = random;
    this.marks = new VerificationMarks(me);
  }

  /**
   * The secure documents in {@code repo}'s storage, as {@code me} sees them. Does not block.
   *
   * @throws IllegalArgumentException if the repo has no storage
   */
  public static SecureRepo of(Repo repo, Identity me) {
    StorageAdapter storage = repo.storageAdapter().orElseThrow(
        () -> new IllegalArgumentException("secure documents need a repo with storage"));
    return of(storage, me);
  }

  /** The secure documents in {@code storage}, as {@code me} sees them. Does not block. */
  public static SecureRepo of(StorageAdapter storage, Identity me) {
    return new SecureRepo(SecureStore.on(storage), me, new SecureRandom());
  }

  /** The identity documents are opened as. Does not block. */
  public Identity identity() {
    return me;
  }

  /** The store the items are kept in. Does not block. */
  public SecureStore store() {
    return store;
  }

  /** A new secure document with this identity as root admin, its genesis stored. Blocks on storage. */
  public SecureDocument create() {
    SecureDocument d = SecureDocument.create(me, random);
    storeNew(d);
    return d;
  }

  /**
   * The stored document {@code id} as this identity sees it, or empty if storage does not hold it.
   * Items that carry this identity's verification mark are not verified again; all others are
   * verified (concurrently) and then marked (docs/security.md, "Verification once"). Blocks on
   * storage.
   *
   * @throws MalformedItemException if a stored item is malformed or its signature does not verify
   */
  public Optional<SecureDocument> open(DocumentId id) {
    List<SecureItem> items = marks.load(store, id);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    SecureDocument d = SecureDocument.open(me, id, items, random);
    d.takeUnstored();
    return Optional.of(d);
  }

  /**
   * The stored document {@code id}, or an empty view of it (no items yet) for a {@link #syncTarget}
   * to fill from a server when storage does not hold it: its URL was shared out of band. Blocks on
   * storage.
   */
  public SecureDocument openOrEmpty(DocumentId id) {
    return open(id).orElseGet(() -> SecureDocument.open(me, id, List.of(), random));
  }

  /**
   * Seals {@code document}'s local changes ({@link SecureDocument#seal}) and stores every item it
   * admitted since it was last stored (shares, removals, received items); returns the sealed ones.
   * Blocks on storage; durable when it returns.
   *
   * @throws AccessDeniedException if there are local changes and this identity may not edit
   */
  public List<SecureItem> save(SecureDocument document) {
    try {
      return document.seal();
    } finally {
      storeNew(document);
    }
  }

  /** The secure documents storage holds. Blocks on storage. */
  public Set<DocumentId> documents() {
    return store.documents();
  }

  /**
   * What a sync client syncs {@code document} with: its valid items out; items in are admitted,
   * applied and stored (only those the document's log admits). Call {@code sync} on the thread that
   * owns {@code document}: the target's methods run on it.
   */
  public SyncTarget syncTarget(SecureDocument document) {
    return new SyncTarget() {
      @Override
      public DocumentId documentId() {
        return document.id();
      }

      /** The items valid by what the document's log knows: the server refuses the others anyway. */
      @Override
      public List<SecureItem> localItems() {
        SecureLog log = document.log();
        List<SecureItem> out = new ArrayList<>();
        for (SecureItem item : document.items()) {
          boolean valid = switch (item) {
            case Envelope e -> log.isValid(e.id());
            case MembershipOp op -> log.isValid(op.id());
          };
          if (valid) {
            out.add(item);
          }
        }
        return out;
      }

      @Override
      public void received(List<SecureItem> items) {
        document.receive(items);
        storeNew(document);
      }
    };
  }

  private void storeNew(SecureDocument document) {
    for (SecureItem item : document.takeUnstored()) {
      long seq = store.append(item);
      store.saveMark(item.documentId(), seq, marks.mark(item.documentId(), item.encoded()));
    }
  }
}
