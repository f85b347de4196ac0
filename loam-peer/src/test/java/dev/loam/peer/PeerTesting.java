package dev.loam.peer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** What the peer tests share: peers on loopback, events they can wait for, a list document. */
final class PeerTesting {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private PeerTesting() {}

  /** A peer on 127.0.0.1, any port, in-memory storage, named {@code name}; its events go to {@code events}. */
  static LoamPeer.Builder peer(String name, BlockingQueue<LoamPeer.Event> events) {
    return LoamPeer.builder(Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
            .syncDebounce(Duration.ofMillis(5)))
        .host("127.0.0.1").events(events::add);
  }

  static BlockingQueue<LoamPeer.Event> events() {
    return new LinkedBlockingQueue<>();
  }

  /** Takes events until one matches {@code wanted}; fails at the deadline. */
  static LoamPeer.Event awaitEvent(String what, BlockingQueue<LoamPeer.Event> events, Predicate<LoamPeer.Event> wanted) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try {
      while (true) {
        LoamPeer.Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          return fail("timed out waiting for " + what);
        }
        if (wanted.test(e)) {
          return e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static <T> T await(String what, CompletableFuture<T> f) {
    try {
      return f.get(DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return fail("timed out waiting for " + what);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void awaitPeer(Repo repo, String peer) {
    await(repo.peerId() + " connected to " + peer, repo.whenPeerConnected(p -> p.value().equals(peer)));
  }

  /** Completes with {@code repo}'s handle of {@code like}'s document once it has {@code like}'s heads now (found, announced or created). */
  static CompletableFuture<DocHandle> whenRepoHas(Repo repo, DocHandle like) {
    CompletableFuture<DocHandle> done = new CompletableFuture<>();
    DocHandle.Listener l = new DocHandle.Listener() {
      @Override public void changed(DocChange change) {
        DocHandle h = change.handle();
        if (h.documentId().equals(like.documentId()) && h.heads().equals(like.heads())) {
          done.complete(h);
        }
      }
    };
    repo.addListener(l);
    done.whenComplete((h, e) -> repo.removeListener(l));
    if (repo.documentIds().contains(like.documentId())) { // it may have arrived before the listener
      DocHandle h = repo.find(like.documentId());
      if (h.heads().equals(like.heads())) {
        done.complete(h);
      }
    }
    return done;
  }

  /** Appends {@code item} to the list under {@code "items"}, creating it when missing. */
  static void append(DocHandle h, String item) {
    h.change(tx -> {
      ObjId items = tx.get(ObjId.ROOT, "items")
          .map(v -> ((Value.Obj) v).id())
          .orElseGet(() -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
      tx.insert(items, tx.length(items), ScalarValue.of(item));
    });
  }
}
