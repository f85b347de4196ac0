package dev.loam.typed;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks on an app's executor one at a time, in the order they were submitted, even when that
 * executor is a pool; a task that throws goes to its thread's uncaught-exception handler and the
 * next task still runs. Thread-safe.
 */
final class SerialDelivery {
  private final Executor executor;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by this
  private boolean scheduled; // guarded by this

  SerialDelivery(Executor executor) {
    this.executor = executor;
  }

  void submit(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RuntimeException rejected) {
      synchronized (this) {
        queue.clear();
        scheduled = false;
      }
      throw rejected;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          scheduled = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}
