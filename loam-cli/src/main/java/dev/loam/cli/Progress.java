package dev.loam.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A progress line on stderr for a command that may run long ({@code loam sync}, {@code loam backup}),
 * shown only when stderr is a terminal: once a second after the first second, a daemon timer
 * rewrites it in place from the current description (cheap to compute: no work that grows with the
 * data); erased at the end. Thread-safe.
 */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final long start;
  private final @Nullable ScheduledExecutorService timer;
  private volatile Supplier<String> what = () -> "";
  private int shown; // guarded by this

  private Progress(PrintWriter err, long start, @Nullable ScheduledExecutorService timer) {
    this.err = err;
    this.start = start;
    this.timer = timer;
  }

  /** A progress line for a run that started at {@code start} ({@link System#nanoTime}); shown only if {@code enabled}. */
  static Progress start(PrintWriter err, long start, boolean enabled) {
    if (!enabled) {
      return new Progress(err, start, null);
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loam-progress");
      t.setDaemon(true);
      return t;
    });
    Progress p = new Progress(err, start, timer);
    timer.scheduleAtFixedRate(p::show, 1, 1, TimeUnit.SECONDS);
    return p;
  }

  /** True when the process runs on a terminal (Java 22+ says so with {@code Console.isTerminal}; 21 has no console otherwise). */
  static boolean onATerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  void describe(Supplier<String> description) {
    this.what = description;
  }

  /** Rewrites the line from the current description (the timer's tick). */
  synchronized void show() {
    if (shown < 0) {
      return; // closed
    }
    String line = what.get() + " (" + (System.nanoTime() - start) / 1_000_000_000L + " s)";
    err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
    err.flush();
    shown = Math.max(shown, line.length());
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    synchronized (this) {
      if (shown > 0) {
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
      }
      shown = -1; // a show() that already started after this prints nothing more
    }
  }
}
