package dev.loam.repo;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor. A task submitted
 * while another runs (also from inside it) waits for it. With a direct executor the first
 * submitter runs the queue to empty on its own thread. Thread-safe.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private final Executor underlying;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor underlying) {
    this.underlying = underlying;
  }

  @Override
  public void execute(Runnable task) {
    lock.lock();
    try {
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    } finally {
      lock.unlock();
    }
    try {
      underlying.execute(this::drain);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        running = false;
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      lock.lock();
      try {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("a repo task failed", e);
      }
    }
  }
}
