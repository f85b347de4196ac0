package dev.loam.repo.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Creates Loam's threads: the only class in the repo layer (and the server built on it) that
 * starts a virtual thread. Every other class receives an {@link java.util.concurrent.Executor} or
 * a {@link ThreadFactory} from here, or from a test. Thread-safe; stateless.
 */
public final class VirtualThreads {
  private VirtualThreads() {}

  /** A factory of virtual threads named {@code name-0}, {@code name-1}, … */
  public static ThreadFactory factory(String name) {
    return Thread.ofVirtual().name(name + "-", 0).factory();
  }

  /** An executor that runs every task on a new virtual thread. */
  public static ExecutorService perTask(String name) {
    return Executors.newThreadPerTaskExecutor(factory(name));
  }

  /** A timer whose single thread is virtual; it should only hand work to an executor. */
  public static ScheduledExecutorService timer(String name) {
    return Executors.newSingleThreadScheduledExecutor(factory(name));
  }

  /** Starts {@code task} on a new virtual thread named {@code name}. */
  public static Thread start(String name, Runnable task) {
    return Thread.ofVirtual().name(name).start(task);
  }
}
