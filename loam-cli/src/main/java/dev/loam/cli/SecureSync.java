package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Admission;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import dev.loam.secure.SecureStore;
import dev.loam.secure.SecureUrl;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SyncTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * {@code loam sync} of a secure document: one authenticated {@link SecureSyncClient} session that
 * pulls what the server has, pushes what it lacks and waits until the server has stored it. What
 * arrives is admitted by the folder's own keyless {@link SecureLog} (the same rules the server
 * applies) before it is stored, so a relay-level identity syncs too. Thread-safe: the client may
 * hand items over on its own threads.
 */
final class SecureSync implements SyncTarget {
  private final SecureStore store;
  private final SecureLog log;
  private final List<SecureItem> waiting = new ArrayList<>(); // guarded by this: parents not seen yet
  private int stored; // guarded by this

  private SecureSync(SecureStore store, DocumentId id) {
    this.store = store;
    this.log = SecureLog.create(id);
    for (SecureItem item : store.load(id)) {
      log.admit(item);
    }
  }

  /**
   * Syncs {@code url} between the folder {@code data} and {@code server} as {@code me}; returns the
   * line to print.
   *
   * @throws CliException if the server cannot be reached, the sync does not finish in time, or
   *     neither side has the document for {@code me} (an identity that may not fetch it learns nothing more)
   */
  static String run(Path data, SecureUrl url, URI server, Identity me, Duration timeout) {
    DocumentId id = url.documentId();
    try (LocalRepo local = LocalRepo.open(data, "loam sync", LocalRepo.Access.CREATE, Optional.empty());
        SecureSyncClient client = SecureSyncClient.connect(server, me, timeout)) {
      SecureSync target = new SecureSync(local.secure(), id);
      client.sync(target);
      if (target.log.items().isEmpty() || !target.log.mayPull(me.signingKey().publicKey())) {
        throw new CliException("neither the repo folder " + data + " nor the server " + server + " has " + url);
      }
      return "synced " + url + " with " + server + " (" + target.received() + " items received, "
          + target.log.items().size() + " in all)";
    } catch (IllegalArgumentException e) {
      throw new CliException("--server " + server + ": " + Main.oneLine(e.getMessage()), e);
    }
  }

  private synchronized int received() {
    return stored;
  }

  @Override
  public DocumentId documentId() {
    return log.documentId();
  }

  @Override
  public synchronized List<SecureItem> localItems() {
    return log.items();
  }

  @Override
  public synchronized void received(List<SecureItem> items) {
    waiting.addAll(items);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Iterator<SecureItem> it = waiting.iterator(); it.hasNext(); ) {
        SecureItem item = it.next();
        Admission admission = log.admit(item);
        switch (admission.outcome()) {
          case ACCEPTED -> {
            store.append(item);
            stored++;
            progress = true;
            it.remove();
          }
          case DUPLICATE, REJECTED -> it.remove();
          case PENDING -> { } // try again once its parents are here
        }
      }
    }
  }
}
