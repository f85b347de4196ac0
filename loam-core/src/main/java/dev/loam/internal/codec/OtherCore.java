package dev.loam.internal.codec;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One piece of work offered to the common fork-join pool while the caller does another: whichever
 * of a pool worker and the caller's {@link #join} claims it first runs it, so the caller never
 * waits for a worker that has not started (a busy pool, one core, a pool that rejects it), only
 * for one that is running the work. What the work throws, {@code join} throws.
 */
final class OtherCore<T> implements Runnable {
  private final Supplier<T> work;
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private T result;
  private Throwable failure;

  private OtherCore(Supplier<T> work) {
    this.work = work;
  }

  /** Whether this machine has a second core to offer work to. */
  static boolean available() {
    return Runtime.getRuntime().availableProcessors() > 1;
  }

  /** Offers {@code work} to the common pool and returns at once. */
  static <T> OtherCore<T> start(Supplier<T> work) {
    OtherCore<T> o = new OtherCore<>(work);
    try {
      ForkJoinPool.commonPool().execute(o);
    } catch (RejectedExecutionException e) {
      // join runs it
    }
    return o;
  }

  @Override
  public void run() {
    if (!claimed.compareAndSet(false, true)) {
      return;
    }
    try {
      result = work.get();
    } catch (Throwable t) {
      failure = t;
    } finally {
      done.countDown();
    }
  }

  /** The work's result: run here if no worker has taken it, else once the worker is done. */
  T join() {
    run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return result;
  }
}
