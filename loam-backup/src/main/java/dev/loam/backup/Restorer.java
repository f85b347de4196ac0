package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes verified backup contents into a storage adapter, in the layouts a repo and a
 * {@link SecureStore} read, through a {@link JournaledStorage} so that a failed run is rolled
 * back. Merge: each document is merged with the target's copy and stored as one new snapshot
 * chunk beside the target's own chunks (which stay: loading tolerates the overlap and the repo
 * compacts them later); secure documents get the items they lack. Replace: each document is stored
 * as the backup holds it, then every other key of the target is removed and the storage gets a
 * new id. Not thread-safe; one per run.
 */
final class Restorer {
  private final JournaledStorage target;
  private final RestoreOptions.Mode mode;
  private final Progress progress;
  private final Set<StorageKey> keep = new HashSet<>();
  private final List<String> ignored = new ArrayList<>();
  private int written;
  private int unchanged;

  private Restorer(StorageAdapter target, RestoreOptions.Mode mode, Progress progress) {
    this.target = new JournaledStorage(target);
    this.mode = mode;
    this.progress = progress;
  }

  static RestoreSummary restore(BackupContents contents, StorageAdapter target, RestoreOptions options) {
    // in one storage transaction where the target has them (SQLite: all or nothing even when the
    // disk fills up), and journaled always, for targets that write key by key
    RestoreSummary[] out = new RestoreSummary[1];
    target.atomically(t -> out[0] = journaled(contents, t, options));
    return out[0];
  }

  private static RestoreSummary journaled(BackupContents contents, StorageAdapter target, RestoreOptions options) {
    Restorer r = new Restorer(target, options.mode(), options.progress());
    try {
      return r.run(contents);
    } catch (RuntimeException e) {
      try {
        r.target.rollback();
      } catch (RuntimeException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private RestoreSummary run(BackupContents contents) {
    StoredDocuments existing = new StoredDocuments(target.loadRange(StorageKey.EMPTY));
    int total = contents.plain().size() + contents.secure().size();
    int done = 0;
    for (BackupContents.Plain p : contents.plain()) {
      progress.update(Progress.Phase.WRITE, done++, total);
      plain(p, Optional.ofNullable(existing.plain().get(p.id())));
    }
    for (BackupContents.Secure s : contents.secure()) {
      progress.update(Progress.Phase.WRITE, done++, total);
      secure(s, Optional.ofNullable(existing.secure().get(s.id())));
    }
    int removed = 0;
    if (mode == RestoreOptions.Mode.REPLACE) {
      Set<DocumentId> backedUp = new HashSet<>();
      contents.plain().forEach(p -> backedUp.add(p.id()));
      contents.secure().forEach(s -> backedUp.add(s.id()));
      for (DocumentId id : existing.plain().keySet()) {
        removed += backedUp.contains(id) ? 0 : 1;
      }
      for (DocumentId id : existing.secure().keySet()) {
        removed += backedUp.contains(id) ? 0 : 1;
      }
      List<StorageKey> obsolete = new ArrayList<>();
      for (StorageKey k : existing.keys()) {
        if (!keep.contains(k) && !k.equals(StoredDocuments.STORAGE_ID_KEY)) {
          obsolete.add(k);
        }
      }
      if (target.changed() > 0 || !obsolete.isEmpty()) {
        // peers may hold sync states about the old contents under the old id: make them start
        // afresh. Saved before anything is removed, so that every save of a replace precedes
        // every removal, and a save that fails (a full disk) is rolled back by removals alone.
        target.save(StoredDocuments.STORAGE_ID_KEY,
            Bytes.wrap(StorageId.random().value().getBytes(StandardCharsets.UTF_8)));
      }
      for (StorageKey k : obsolete) {
        target.remove(k);
      }
    }
    progress.update(Progress.Phase.WRITE, total, total);
    return new RestoreSummary(written, unchanged, removed, contents.notYetCreated());
  }

  private void plain(BackupContents.Plain p, Optional<StoredDocuments.Plain> there) {
    StorageKey key = StoredDocuments.snapshotKey(p.id(), p.heads());
    keep.add(key);
    if (there.isEmpty()) {
      target.save(key, p.save());
      written++;
      return;
    }
    Document doc = StoredDocuments.load(there.get(), ignored);
    switch (mode) {
      case MERGE -> {
        if (containsAll(doc, p)) {
          unchanged++;
          return;
        }
        doc.merge(Document.load(p.save().toByteArray()));
        StorageKey merged = StoredDocuments.snapshotKey(p.id(), doc.heads());
        target.save(merged, Bytes.wrap(doc.save()));
        written++;
      }
      case REPLACE -> {
        boolean same = there.get().incrementals().isEmpty() && there.get().snapshots().size() == 1
            && there.get().snapshots().get(0).key().equals(key) && doc.heads().equals(p.heads());
        if (same) {
          unchanged++;
          return;
        }
        target.save(key, p.save());
        written++;
      }
    }
  }

  private void secure(BackupContents.Secure s, Optional<StoredDocuments.Secure> there) {
    StorageKey prefix = StoredDocuments.securePrefix(s.id());
    Set<Bytes> had = new HashSet<>(there.map(StoredDocuments.Secure::items).orElse(List.of()));
    boolean same = had.equals(new HashSet<>(s.items()));
    boolean complete = had.containsAll(s.items());
    if (mode == RestoreOptions.Mode.REPLACE) {
      for (StorageKey k : existingKeys(prefix)) {
        if (same) {
          keep.add(k);
        }
      }
      if (same) {
        unchanged++;
        return;
      }
      target.removeRange(prefix);
      had.clear();
    } else if (complete) {
      unchanged++;
      return;
    }
    SecureStore store = SecureStore.on(target);
    for (Bytes item : s.items()) {
      if (!had.contains(item)) {
        store.append(SecureItem.decode(item.toByteArray()));
      }
    }
    written++;
    for (StorageKey k : existingKeys(prefix)) {
      keep.add(k);
    }
  }

  private List<StorageKey> existingKeys(StorageKey prefix) {
    List<StorageKey> keys = new ArrayList<>();
    target.loadRange(prefix).forEach(c -> keys.add(c.key()));
    return keys;
  }

  private static boolean containsAll(Document doc, BackupContents.Plain p) {
    for (ChangeHash h : p.heads()) {
      if (doc.change(h).isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
