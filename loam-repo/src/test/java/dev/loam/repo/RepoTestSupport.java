package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.id.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Helpers shared by the repo tests. Every wait is for an event (a future, a listener call) with a
 * deadline; none sleeps.
 */
final class RepoTestSupport {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private RepoTestSupport() {}

  /** The value of {@code future}, failing the test if it does not complete within the deadline. */
  static <T> T await(String what, CompletableFuture<T> future) {
    try {
      return future.get(DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting until " + what, e);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The failure of {@code future}, which must fail with a {@code type} within the deadline. */
  static <X extends Throwable> X awaitFailure(String what, Class<X> type, CompletableFuture<?> future) {
    try {
      future.get(DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
      throw new AssertionError(what + ": completed normally");
    } catch (ExecutionException e) {
      return assertInstanceOf(type, e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting until " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code latch} reaches zero, failing the test at the deadline. */
  static void awaitLatch(String what, CountDownLatch latch) {
    try {
      if (!latch.await(DEADLINE.toNanos(), TimeUnit.NANOSECONDS)) {
        fail("timed out waiting until " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code repo} is connected to each of {@code peers}. */
  static void awaitPeers(Repo repo, String... peers) {
    for (String p : peers) {
      PeerId peer = PeerId.of(p);
      await(repo.peerId() + " sees " + peer, repo.whenPeerConnected(peer::equals));
    }
  }

  /**
   * Waits until {@code condition} holds, checking it now and again after every change or state
   * change of {@code handles} (the only events that can make it true), until the deadline.
   */
  static void awaitEvents(Supplier<String> what, List<DocHandle> handles, BooleanSupplier condition) {
    Semaphore events = new Semaphore(0);
    DocHandle.Listener signal = new DocHandle.Listener() {
      @Override public void changed(DocChange change) {
        events.release();
      }

      @Override public void stateChanged(DocHandle handle, DocHandle.State state) {
        events.release();
      }
    };
    handles.forEach(h -> h.addListener(signal));
    try {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !events.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          fail("timed out waiting until " + what.get());
        }
        events.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      handles.forEach(h -> h.removeListener(signal));
    }
  }

  static DocHandle ready(DocHandle h) {
    return await("document " + h.documentId() + " is ready (" + h.state() + ")", h.whenReady());
  }

  /** Waits until every handle has the same heads, then checks they also have the same JSON. */
  static void awaitConverged(List<DocHandle> handles) {
    awaitEvents(() -> "every copy has the same heads: " + handles + " " + handles.stream().map(h -> h.heads().toString()).toList(),
        handles, () -> {
          Heads first = handles.getFirst().heads();
          return handles.stream().allMatch(h -> h.isReady() && h.heads().equals(first));
        });
    String json = handles.getFirst().toJson();
    for (DocHandle h : handles) {
      assertEquals(json, h.toJson());
    }
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

  static int items(DocHandle h) {
    return h.read(d -> d.get(ObjId.ROOT, "items").map(v -> d.length(((Value.Obj) v).id())).orElse(0));
  }
}
