package dev.loam.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Runs one task per item on the calling thread and on helper threads, one per further processor
 * (at most {@link #MAX_THREADS} in all): a catch-up or rebuild indexes on every core, since
 * Lucene's writer takes documents from many threads at once. Stateless.
 */
final class Parallel {
  /** The most threads a call uses, the caller's included. */
  static final int MAX_THREADS = 4;
  /** Below this many items, the caller does them alone (starting threads would cost more). */
  private static final int MIN_ITEMS_PER_THREAD = 32;

  private Parallel() {}

  /**
   * Runs {@code task} on each of {@code items}, in no particular order, on this thread and helper
   * threads; {@code progress} hears, on this thread only, how many items are done so far (not
   * necessarily every count); each thread that did items runs {@code last} once after its last
   * item (Lucene's writer then flushes each thread's buffer on that thread, not all on one). The
   * first failure stops the items not yet started and is thrown here once every thread has
   * stopped. Blocks until every item is done.
   */
  static <T> void forEach(List<T> items, Consumer<T> task, IntConsumer progress, Runnable last) {
    int threads = (int) Math.min(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS),
        Math.max(1, items.size() / MIN_ITEMS_PER_THREAD));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable helper = () -> {
      try {
        for (int i; failure.get() == null && (i = next.getAndIncrement()) < items.size(); ) {
          task.accept(items.get(i));
          done.incrementAndGet();
        }
        if (failure.get() == null) {
          last.run();
        }
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
      }
    };
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      helpers.add(Thread.ofPlatform().daemon().name("loam-search-catch-up-" + t).start(helper));
    }
    try {
      for (int i; failure.get() == null && (i = next.getAndIncrement()) < items.size(); ) {
        task.accept(items.get(i));
        progress.accept(done.incrementAndGet());
      }
      if (failure.get() == null) {
        last.run();
      }
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    } finally {
      boolean interrupted = false;
      for (Thread h : helpers) {
        while (h.isAlive()) {
          try {
            h.join();
          } catch (InterruptedException e) {
            interrupted = true; // the helpers finish their item and stop at the failure, or run out of items
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    switch (failure.get()) {
      case null -> progress.accept(done.get());
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      case Throwable t -> throw new IllegalStateException(t);
    }
  }
}
