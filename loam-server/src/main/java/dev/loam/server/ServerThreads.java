package dev.loam.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The one place the server creates threads. Inbound work (one task per received message, one
 * message at a time per connection) runs on virtual threads from {@link #virtualPerTask}; timers
 * (pings) run on one small platform daemon thread from {@link #scheduler}, which only hands work
 * off and never blocks. Jetty's own selector and callback threads come from Jetty's pool.
 */
public final class ServerThreads {
  private ServerThreads() {}

  /** A factory of virtual threads named {@code prefix-N}. The only virtual threads the server makes come from here. */
  public static ThreadFactory virtual(String prefix) {
    return Thread.ofVirtual().name(prefix + "-", 0).factory();
  }

  /** An executor that starts one virtual thread per task. */
  public static ExecutorService virtualPerTask(String prefix) {
    return Executors.newThreadPerTaskExecutor(virtual(prefix));
  }

  /** A one-thread scheduler on a platform daemon thread named {@code name}, for short timer tasks. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon(true).factory());
  }
}
