package dev.loam.cli;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Admission;
import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import dev.loam.secure.SecureStore;
import dev.loam.secure.SecureUrl;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SecureSyncException;
import dev.loam.secure.net.SyncTarget;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
   * line to print. Pulls everything the server gives this identity, pushes every valid local item it
   * did not send (the server acknowledges once they are durable), and, when the first pull gave
   * nothing, pulls again: a server that still gives nothing does not hold the document for this
   * identity (unknown, or not a member: the two look alike, and so they fail alike).
   *
   * @throws CliException if the server cannot be reached, refuses, does not answer in time, or
   *     neither side has the document for {@code me}
   */
  static String run(Path data, SecureUrl url, URI server, Identity me, Duration timeout) {
    DocumentId id = url.documentId();
    String unknown = "neither the repo folder " + data + " nor the server " + server + " has " + url;
    try (LocalRepo local = LocalRepo.open(data, "loam sync", LocalRepo.Access.CREATE, Optional.empty());
        SecureSyncClient client = SecureSyncClient.connect(server, me, timeout)) {
      SecureSync target = new SecureSync(local.secure(), id);
      Set<Bytes> remote = new HashSet<>();
      long cursor = client.pull(id, 0, items -> {
        items.forEach(i -> remote.add(i.itemId()));
        target.received(items);
      });
      List<SecureItem> missing = target.localItems().stream().filter(i -> !remote.contains(i.itemId())).toList();
      if (missing.isEmpty() && cursor == 0) {
        throw new CliException(unknown);
      }
      try {
        client.push(id, missing);
      } catch (SecureSyncException e) {
        if (cursor == 0 && e.problem() == SecureSyncException.Problem.REJECTED) {
          throw new CliException(unknown);
        }
        throw e;
      }
      if (cursor == 0 && client.pull(id, 0, target::received) == 0) {
        throw new CliException(unknown);
      }
      return "synced " + url + " with " + server + " (" + target.received() + " items received, " + missing.size() + " sent)";
    } catch (SecureSyncException e) {
      throw new CliException(switch (e.problem()) {
        case CONNECTION -> "could not reach the sync server at " + server + ": " + (refused(e) ? "connection refused"
            : Main.oneLine(e.getMessage()));
        case TIMEOUT -> "could not reach the sync server at " + server + " within " + timeout.toSeconds() + " s";
        case REFUSED, UNAVAILABLE, REJECTED, PROTOCOL -> "could not sync " + url + " with " + server + ": "
            + Main.oneLine(e.getMessage());
      }, e);
    } catch (IllegalArgumentException e) {
      throw new CliException("--server " + server + ": " + Main.oneLine(e.getMessage()), e);
    }
  }

  /** Whether the connection was refused (nothing listens there). */
  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private synchronized int received() {
    return stored;
  }

  @Override
  public DocumentId documentId() {
    return log.documentId();
  }

  /**
   * The folder's items that are valid by everything it knows (an item admitted earlier can turn
   * invalid, e.g. a removed author's late envelope once the removal arrives: the server refuses
   * those, so they are not offered).
   */
  @Override
  public synchronized List<SecureItem> localItems() {
    return log.items().stream().filter(this::valid).toList();
  }

  private boolean valid(SecureItem item) {
    return switch (item) {
      case Envelope e -> log.isValid(e.id());
      case MembershipOp op -> log.isValid(op.id());
    };
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
