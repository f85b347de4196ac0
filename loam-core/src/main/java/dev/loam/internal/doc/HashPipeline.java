package dev.loam.internal.doc;

import dev.loam.internal.codec.ChangeTails;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;

/**
 * Re-encodes a loaded document's changes and hashes them, in order, with a second thread's help.
 * A change's bytes begin with its deps' hashes, so the hashes form one chain; but everything after
 * the deps (the {@link ChangeTails tail}: header, op columns) depends on the change's own
 * ops alone. So the changes are cut into blocks of {@link #BLOCK}; the calling thread and one
 * helper encode the tails of blocks in order, at most {@link #WINDOW} blocks ahead of the hashing,
 * and the calling thread hashes each block once its tails are written, taking the next block to
 * encode itself whenever the one it must hash next is not ready.
 *
 * <p>The helper is a task on the common fork-join pool; the calling thread never waits for it to
 * start (it encodes every block itself if the helper never runs) and returns only once the helper
 * has stopped, even when encoding or hashing throws, so nothing reads the op set after {@link
 * #run} returns. Monitors guard the block state; each block's tails are written by one thread and
 * read by the caller after the hand-over under the monitor.
 */
final class HashPipeline {
  /** Changes per block: about half a millisecond of encoding. */
  static final int BLOCK = 1024;
  /** Blocks encoded but not yet hashed, at most: bounds the tails held (a few MB for typical changes). */
  static final int WINDOW = 8;

  /** Writes the tail of change {@code change} into {@code out} with {@code encoder}. */
  interface TailWriter {
    void write(int change, ChangeBytes encoder, ChangeTails out);
  }

  /** Hashes change {@code change}, whose tail is entry {@code index} of {@code tails}, and records it. */
  interface Hasher {
    void hash(int change, ChangeTails tails, int index);
  }

  /**
   * Work on the calling thread before the hashes of changes {@code from .. to - 1}, in block order
   * (a load appends the block's changes to the history there). Done block by block rather than all
   * at first, the helper is never left waiting for the hashing to begin.
   */
  interface BeforeBlock {
    void run(int from, int to);
  }

  /** Whether {@link #run} offers a helper the work of {@code changes} changes: two blocks or more, and a second core. */
  static boolean worthIt(int changes) {
    return changes >= 2 * BLOCK && Runtime.getRuntime().availableProcessors() > 1;
  }

  private final int changes;
  private final int blocks;
  private final TailWriter writer;
  private final Hasher hasher;
  private final ChangeTails[] slots = new ChangeTails[WINDOW];
  private final boolean[] ready = new boolean[WINDOW];
  private final Object lock = new Object();
  // guarded by lock
  private int claimed;
  private int hashed;
  private boolean stopped;
  private boolean helperBusy;
  private Throwable helperFailure;

  private HashPipeline(int changes, TailWriter writer, Hasher hasher) {
    this.changes = changes;
    this.blocks = (changes + BLOCK - 1) / BLOCK;
    this.writer = writer;
    this.hasher = hasher;
    for (int i = 0; i < WINDOW; i++) {
      slots[i] = new ChangeTails();
    }
  }

  /**
   * Encodes and hashes changes {@code 0 .. changes - 1}; {@code hasher} sees them in order, on the
   * calling thread, each block's after {@code before} has run there for the block.
   */
  static void run(int changes, TailWriter writer, BeforeBlock before, Hasher hasher, Executor helper) {
    new HashPipeline(changes, writer, hasher).run(before, helper);
  }

  /** As above with a helper from the common pool when {@link #worthIt}, else none (all on the calling thread). */
  static void run(int changes, TailWriter writer, BeforeBlock before, Hasher hasher) {
    run(changes, writer, before, hasher, worthIt(changes) ? ForkJoinPool.commonPool() : NO_HELPER);
  }

  /** An executor that never runs the helper: the calling thread encodes every block. */
  private static final Executor NO_HELPER = task -> {};

  private void run(BeforeBlock before, Executor helper) {
    try {
      helper.execute(this::help);
    } catch (RejectedExecutionException e) {
      // no helper: this thread encodes every block
    }
    ChangeBytes encoder = new ChangeBytes();
    boolean interrupted = false;
    try {
      while (true) {
        int block;
        boolean encode;
        synchronized (lock) {
          if (hashed == blocks) {
            return;
          }
          if (helperFailure instanceof RuntimeException e) {
            throw e;
          } else if (helperFailure instanceof Error e) {
            throw e;
          } else if (helperFailure != null) {
            throw new IllegalStateException("re-encoding a loaded change failed", helperFailure);
          }
          if (ready[hashed % WINDOW]) {
            block = hashed;
            encode = false;
          } else if (claimed < blocks && claimed < hashed + WINDOW) {
            block = claimed++;
            encode = true;
          } else {
            interrupted |= waitOnLock(); // the helper is encoding the block to hash next
            continue;
          }
        }
        ChangeTails tails = slots[block % WINDOW];
        if (encode) {
          encode(block, encoder, tails);
          synchronized (lock) {
            ready[block % WINDOW] = true;
          }
        } else {
          int from = block * BLOCK;
          int to = Math.min(changes, from + BLOCK);
          before.run(from, to);
          for (int c = from; c < to; c++) {
            hasher.hash(c, tails, c - from);
          }
          synchronized (lock) {
            ready[block % WINDOW] = false;
            hashed++;
            lock.notifyAll();
          }
        }
      }
    } finally {
      synchronized (lock) {
        stopped = true;
        lock.notifyAll();
        while (helperBusy) {
          interrupted |= waitOnLock();
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void encode(int block, ChangeBytes encoder, ChangeTails tails) {
    tails.clear();
    int from = block * BLOCK;
    int to = Math.min(changes, from + BLOCK);
    for (int c = from; c < to; c++) {
      writer.write(c, encoder, tails);
    }
  }

  /**
   * The helper: claims blocks in order while the window allows, until all are claimed or the caller
   * stops. It waits for the window as a managed blocker, so that the pool may start another worker
   * meanwhile; interrupted, it stops and leaves the rest to the caller.
   */
  private void help() {
    ChangeBytes encoder = new ChangeBytes();
    while (true) {
      if (!awaitWindow()) {
        return;
      }
      int block;
      synchronized (lock) {
        if (windowFull()) {
          continue;
        }
        if (stopped || claimed >= blocks) {
          return;
        }
        block = claimed++;
        helperBusy = true;
      }
      try {
        encode(block, encoder, slots[block % WINDOW]);
        synchronized (lock) {
          ready[block % WINDOW] = true;
          helperBusy = false;
          lock.notifyAll();
        }
      } catch (Throwable t) {
        synchronized (lock) {
          helperFailure = t;
          helperBusy = false;
          lock.notifyAll();
        }
        return;
      }
    }
  }

  /** Held lock: whether the helper must wait for the hashing before it may claim the next block. */
  private boolean windowFull() {
    return !stopped && claimed < blocks && claimed >= hashed + WINDOW;
  }

  /** Waits until the window has room (or all is claimed, or the caller stopped); false if interrupted. */
  private boolean awaitWindow() {
    try {
      ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
        @Override
        public boolean block() throws InterruptedException {
          synchronized (lock) {
            while (windowFull()) {
              lock.wait();
            }
          }
          return true;
        }

        @Override
        public boolean isReleasable() {
          synchronized (lock) {
            return !windowFull();
          }
        }
      });
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits on the monitor (held) for a notification; returns whether an interrupt ended the wait
   * instead (its flag cleared: the caller restores it once it no longer waits, so that the waits
   * in between do not spin).
   */
  private boolean waitOnLock() {
    try {
      lock.wait();
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }
}
