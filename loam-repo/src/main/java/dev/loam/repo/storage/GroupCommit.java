package dev.loam.repo.storage;

import dev.loam.repo.spi.StorageException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Group commit of {@link SqliteStorageAdapter}'s writes: the writes that threads make while a
 * commit is in flight are committed together in the next transaction, so that one fsync makes
 * many of them durable, and each caller returns once the transaction holding its write is.
 *
 * <p>Leader and followers: a write joins the queue; if no thread is committing, its own thread
 * becomes the leader at once (a lone write is never delayed), takes every queued write (at most
 * {@link #MAX_BATCH}), runs them in one {@code BEGIN IMMEDIATE … COMMIT} on the connection, then
 * settles each write and wakes the waiting threads. Those whose write it settled return; one
 * whose write is still queued (it came later, or did not fit) takes the lead for the next batch,
 * the leader itself included. No timer: a batch is what queued during the previous commit. A
 * virtual thread that leads, or runs an {@link #exclusive} body, hands the work to a platform
 * thread and waits for it ({@link #offCarrier}), so that SQLite's native code never pins a carrier
 * of the virtual-thread scheduler (a server has one per core, and a commit's fsync would hold one
 * for its whole length).
 *
 * <p>Failures: each write runs inside its own savepoint, so a write whose statement fails (a
 * value over SQLite's size limit) is undone alone and only its caller gets the
 * {@link StorageException}; the rest of the batch commits. When the transaction as a whole fails
 * (it cannot begin, the commit fails, or SQLite rolled it back after a failed write, as it does on
 * a full disk: {@code SqliteGroupCommitTest} shows it with {@code max_page_count}) it is rolled
 * back and every caller whose write was in it gets a {@link StorageException} naming its own
 * write, with the cause: exactly those callers, and the next batch starts afresh.
 *
 * <p>{@link #exclusive} (the adapter's {@code atomically}) holds the connection for its whole
 * body: batches wait until it has committed or rolled back, and writes its own thread makes join
 * its transaction instead of the queue.
 *
 * <p>Thread-safe. The connection is used only under the adapter's lock, which the leader holds
 * from {@code BEGIN} to {@code COMMIT}; the queue has a lock of its own, never held while waiting
 * for the connection.
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** The most writes one transaction takes; the rest wait for the next. */
  static final int MAX_BATCH = 1000;

  /** The statements of one write, run on the connection inside the open transaction. */
  @FunctionalInterface
  interface Op {
    void run() throws SQLException;
  }

  /** What tests observe or break; called on writers' threads. */
  interface Hook {
    /** A write joined the queue, which now holds {@code waiting} writes; called under the queue lock. */
    default void queued(int waiting) {}

    /**
     * A transaction is about to commit: a batch in which {@code writes} writes took effect, or
     * ({@code -1}) an exclusive body. Throwing fails the commit as a full disk would.
     */
    default void beforeCommit(int writes) throws SQLException {}
  }

  private static final Hook NO_HOOK = new Hook() {};

  /** One caller's write; {@link #done} and the outcome are published under the queue lock. */
  private static final class Write {
    final String what;
    final Op op;
    boolean committed;
    @Nullable RuntimeException failure;
    boolean done;

    Write(String what, Op op) {
      this.what = what;
      this.op = op;
    }
  }

  private final Path file;
  private final Statements statements;
  private final ReentrantLock connectionLock;
  private final BooleanSupplier closed;
  private final ReentrantLock queueLock = new ReentrantLock();
  private final Condition settled = queueLock.newCondition();
  private final ArrayDeque<Write> queue = new ArrayDeque<>();
  private boolean leading;
  private final AtomicLong commits = new AtomicLong();
  private volatile Hook hook = NO_HOOK;
  /** The platform thread that runs virtual threads' work on the connection ({@link #offCarrier}); ends when idle. */
  private final ThreadPoolExecutor committer;

  GroupCommit(Path file, Statements statements, ReentrantLock connectionLock, BooleanSupplier closed) {
    this.file = file;
    this.statements = statements;
    this.connectionLock = connectionLock;
    this.closed = closed;
    this.committer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "loam-sqlite-commit");
      t.setDaemon(true);
      return t;
    });
    committer.allowCoreThreadTimeOut(true);
  }

  void hook(Hook hook) {
    this.hook = hook;
  }

  /** Transactions committed so far (batches and {@link #exclusive} bodies). */
  long commits() {
    return commits.get();
  }

  /**
   * Runs {@code op} in the next batch and returns once that batch committed, or throws the
   * batch's or the write's own failure. On the thread of an {@link #exclusive} body, runs it in
   * that body's transaction at once. Blocks on the commit in flight and then on its own.
   */
  void write(String what, Op op) {
    if (connectionLock.isHeldByCurrentThread()) {
      direct(what, op);
      return;
    }
    Write mine = new Write(what, op);
    queueLock.lock();
    try {
      queue.add(mine);
      hook.queued(queue.size());
    } finally {
      queueLock.unlock();
    }
    while (true) {
      List<Write> batch;
      queueLock.lock();
      try {
        while (leading && !mine.done) {
          settled.awaitUninterruptibly();
        }
        if (mine.done) {
          break;
        }
        leading = true;
        batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          batch.add(queue.poll());
        }
      } finally {
        queueLock.unlock();
      }
      offCarrier(() -> lead(batch)); // holds our write unless more than MAX_BATCH were queued before it: then lead again
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
  }

  /**
   * Runs {@code work} on this thread, or for a virtual thread on the {@link #committer}, waiting
   * for it (uninterruptibly: what it does to the connection must finish) and rethrowing what it
   * throws: SQLite's native calls (statements, the fsync of a commit) would pin the virtual thread
   * to its carrier, one of the few the scheduler has, for as long as they run. Once the adapter is
   * closed, runs here (and fails on the closed connection).
   */
  <T> T offCarrier(Supplier<T> work) {
    // A thread holding the connection runs its work itself: the committer would wait for its lock.
    if (!Thread.currentThread().isVirtual() || connectionLock.isHeldByCurrentThread()) {
      return work.get();
    }
    FutureTask<T> task = new FutureTask<>(work::get);
    try {
      committer.execute(task);
    } catch (RejectedExecutionException stopped) {
      return work.get();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          switch (e.getCause()) {
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            default -> throw new IllegalStateException(e.getCause());
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the {@link #committer} thread (it also ends by itself when idle). */
  void close() {
    committer.shutdown();
  }

  /** Commits {@code batch}, then settles every write in it (abandoned if this throws) and hands the lead on; returns null. */
  private @Nullable Void lead(List<Write> batch) {
    Throwable cause = null;
    try {
      commit(batch);
    } catch (RuntimeException | Error e) {
      cause = e;
      throw e;
    } finally {
      queueLock.lock();
      try {
        for (Write w : batch) {
          if (!w.committed && w.failure == null) {
            w.failure = new StorageException(w.what + " failed in " + file + ": its transaction was abandoned", cause);
          }
          w.done = true;
        }
        leading = false;
        settled.signalAll();
      } finally {
        queueLock.unlock();
      }
    }
    return null;
  }

  private void commit(List<Write> batch) {
    connectionLock.lock();
    try {
      if (closed.getAsBoolean()) {
        for (Write w : batch) {
          w.failure = new IllegalStateException("storage " + file + " is closed");
        }
        return;
      }
      boolean open = false;
      try {
        execute("BEGIN IMMEDIATE");
        open = true;
        int ran = 0;
        for (Write w : batch) {
          if (run(w)) {
            ran++;
          }
        }
        hook.beforeCommit(ran);
        execute("COMMIT");
        open = false;
        commits.incrementAndGet();
        for (Write w : batch) {
          w.committed = w.failure == null;
        }
      } catch (SQLException e) {
        statements.discard();
        if (open) {
          open = false;
          rollbackQuietly();
        }
        for (Write w : batch) {
          if (w.failure == null) {
            w.failure = failure(w.what, e);
          }
        }
      } finally {
        if (open) { // an Error mid-batch: leave no transaction behind
          rollbackQuietly();
        }
      }
    } finally {
      connectionLock.unlock();
    }
  }

  /**
   * Runs {@code w} inside a savepoint of the open transaction; returns whether it took effect. A
   * write whose statements fail is undone alone and records its failure; throws (for the whole
   * batch) when undoing it fails because SQLite rolled the transaction back, as it may on a full
   * disk or an I/O error.
   */
  private boolean run(Write w) throws SQLException {
    execute("SAVEPOINT loam_write");
    try {
      w.op.run();
    } catch (SQLException | RuntimeException e) {
      w.failure = failure(w.what, e);
      statements.discard();
      try {
        execute("ROLLBACK TO loam_write");
      } catch (SQLException lost) {
        if (e instanceof SQLException cause) {
          cause.addSuppressed(lost);
          throw cause;
        }
        throw lost;
      }
      execute("RELEASE loam_write");
      return false;
    }
    execute("RELEASE loam_write");
    return true;
  }

  /**
   * Runs {@code body} in one transaction that holds the connection throughout: its writes (made on
   * this thread) commit together, or roll back together if it throws or the commit fails, and
   * batches wait until it is done. Blocks on the commit in flight, then on {@code body}.
   */
  void exclusive(Runnable body) {
    offCarrier(() -> exclusiveHere(body));
  }

  private @Nullable Void exclusiveHere(Runnable body) {
    connectionLock.lock();
    try {
      if (closed.getAsBoolean()) {
        throw new IllegalStateException("storage " + file + " is closed");
      }
      direct("begin a transaction", () -> execute("BEGIN IMMEDIATE"));
      boolean done = false;
      try {
        body.run();
        direct("commit", () -> {
          hook.beforeCommit(-1);
          execute("COMMIT");
        });
        done = true;
        commits.incrementAndGet();
      } finally {
        if (!done) {
          rollbackQuietly();
        }
      }
    } finally {
      connectionLock.unlock();
    }
    return null;
  }

  /** Runs {@code op} now on this thread, which holds the connection lock. */
  private void direct(String what, Op op) {
    try {
      op.run();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private void execute(String sql) throws SQLException {
    statements.execute(sql);
  }

  private void rollbackQuietly() {
    statements.discard();
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite may have rolled back already (a full disk, an I/O error); then there is nothing to undo
      log.debug("rollback in {}: {}", file, e.getMessage());
    }
  }

  private RuntimeException failure(String what, Exception e) {
    return e instanceof RuntimeException r ? r : new StorageException(what + " failed in " + file, e);
  }
}
