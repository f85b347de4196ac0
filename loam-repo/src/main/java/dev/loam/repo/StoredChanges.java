package dev.loam.repo;

import dev.loam.repo.internal.StorageSubsystem;

/** What another process stored for an open document, taken in ({@link Repo#absorbStored}). Stateless. */
final class StoredChanges {
  private StoredChanges() {}

  /** On {@code h}'s queue: applies what {@code storage} holds of it that it lacks; a handle that was not ready becomes ready. */
  static void absorb(DocHandle h, StorageSubsystem storage, dev.loam.Heads stored) {
    DocHandle.State state = h.state();
    if (state == DocHandle.State.LOADING || state == DocHandle.State.DELETED) {
      return; // a loading handle reads every chunk anyway
    }
    if (!stored.isEmpty() && h.read(d -> stored.hashes().stream().allMatch(c -> d.change(c).isPresent()))) {
      return;
    }
    StorageSubsystem.NewChunks fresh = storage.readNew(h.documentId()); // I/O: no lock
    if (fresh.chunks().isEmpty()) {
      return;
    }
    h.memory.lock();
    try {
      dev.loam.Heads before = h.doc.heads();
      if (fresh.applyTo(h.doc)) {
        h.noteChange(before, null);
        h.setState(DocHandle.State.READY);
      }
    } finally {
      h.memory.unlock();
    }
    h.flush(); // sends every peer what it lacks, then hands out the events
  }
}
