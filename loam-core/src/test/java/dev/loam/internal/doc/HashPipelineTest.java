package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.internal.change.ChangeMeta;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.ChangeTails;
import dev.loam.internal.codec.ChangeOpSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link HashPipeline}: every change's tail is written once and hashed once, in change order, on
 * the calling thread, whether the helper runs, never runs, or fails; and when the hashing fails,
 * the helper has stopped by the time {@code run} returns. Each change here is an empty change
 * whose seq is its index, so its hash names it: the expected hash is that of the whole change
 * encoded at once ({@link ChangeChunk#encodeRows}).
 */
class HashPipelineTest {
  private static final ActorId AUTHOR = ActorId.of(new byte[] {7, 7, 7, 7});
  private static final ChangeOpSource NO_OPS = ChangeOpSource.of(List.of());

  private static ChangeMeta meta(int change) {
    return new ChangeMeta(List.of(AUTHOR), change + 1, 1, 0, null, List.of(), Bytes.EMPTY);
  }

  private static ChangeHash expected(int change) {
    return ChangeChunk.encodeRows(meta(change), NO_OPS, ChangeChunk.Output.HASH).hash();
  }

  /** The hash the pipeline's tails give change {@code k} of a block (no deps). */
  private static ChangeHash hashOf(ChangeTails tails, int k) {
    byte[] digest = new byte[ChangeHash.LENGTH];
    tails.hash(k, new byte[0], 0, digest);
    return ChangeHash.of(digest);
  }

  private static final HashPipeline.TailWriter WRITER = (c, encoder, out) -> out.append(meta(c), NO_OPS);

  /** Runs the pipeline over {@code changes}; returns the changes in the order the hasher saw them, each checked. */
  private static List<Integer> run(int changes, Executor helper) {
    List<Integer> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    HashPipeline.run(changes, WRITER, (from, to) -> {}, (c, tails, k) -> {
      assertSame(caller, Thread.currentThread(), "hashing on the calling thread");
      assertEquals(expected(c), hashOf(tails, k), "change " + c);
      seen.add(c);
    }, helper);
    return seen;
  }

  private static List<Integer> upTo(int n) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  @Test
  void aTailHashedWithItsDepsIsTheWholeChangesHash() {
    List<ChangeHash> deps = new ArrayList<>(List.of(expected(1), expected(2), expected(3)));
    deps.sort(null);
    ChangeMeta withDeps = new ChangeMeta(List.of(AUTHOR), 4, 1, 1700000000, "three deps", deps, Bytes.EMPTY);
    ChangeChunk.Encoded whole = ChangeChunk.encodeRows(withDeps, NO_OPS, ChangeChunk.Output.BOTH);
    ChangeTails tails = new ChangeTails();
    tails.append(meta(0), NO_OPS);
    tails.append(withDeps, NO_OPS);
    byte[] depBytes = new byte[3 * ChangeHash.LENGTH];
    for (int k = 0; k < 3; k++) {
      deps.get(k).copyTo(depBytes, k * ChangeHash.LENGTH);
    }
    byte[] digest = new byte[ChangeHash.LENGTH];
    assertEquals(whole.chunk().length, tails.hash(1, depBytes, 3, digest), "chunk length");
    assertEquals(whole.hash(), ChangeHash.of(digest));
  }

  @Test
  void withAHelperThreadEveryChangeIsHashedOnceInOrder() {
    int n = HashPipeline.BLOCK * (HashPipeline.WINDOW * 3) + 17;
    assertEquals(upTo(n), run(n, task -> new Thread(task).start()));
  }

  @Test
  void eachBlocksStepRunsOnTheCallerBeforeItsHashes() {
    int n = HashPipeline.BLOCK * 6 + 5;
    Thread caller = Thread.currentThread();
    List<String> events = new ArrayList<>();
    HashPipeline.run(n, WRITER, (from, to) -> {
      assertSame(caller, Thread.currentThread());
      events.add("before " + from + ".." + to);
    }, (c, tails, k) -> {
      if (c % HashPipeline.BLOCK == 0 || c == n - 1) {
        events.add("hash " + c);
      }
    }, task -> new Thread(task).start());
    List<String> expected = new ArrayList<>();
    for (int from = 0; from < n; from += HashPipeline.BLOCK) {
      int to = Math.min(n, from + HashPipeline.BLOCK);
      expected.add("before " + from + ".." + to);
      expected.add("hash " + from);
      if (to == n) {
        expected.add("hash " + (n - 1));
      }
    }
    assertEquals(expected, events);
  }

  @Test
  void aHelperThatNeverRunsLeavesEveryBlockToTheCaller() {
    int n = HashPipeline.BLOCK * 5 + 1;
    assertEquals(upTo(n), run(n, task -> {}));
  }

  @Test
  void aPoolThatRejectsTheHelperLeavesEveryBlockToTheCaller() {
    int n = HashPipeline.BLOCK * 3 + 2;
    assertEquals(upTo(n), run(n, task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }));
  }

  @Test
  void anInterruptedHelperStopsAndTheCallerFinishes() throws InterruptedException {
    int n = HashPipeline.BLOCK * (HashPipeline.WINDOW + 6);
    AtomicReference<Thread> helper = new AtomicReference<>();
    List<Integer> seen = new ArrayList<>();
    HashPipeline.run(n, WRITER, (from, to) -> {}, (c, tails, k) -> {
      if (c % HashPipeline.BLOCK == 0) {
        try {
          Thread.sleep(2); // let the helper fill the window and wait for it
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      if (c == HashPipeline.BLOCK * 2) {
        helper.get().interrupt();
      }
      assertEquals(expected(c), hashOf(tails, k), "change " + c);
      seen.add(c);
    }, task -> {
      Thread t = new Thread(task);
      helper.set(t);
      t.start();
    });
    assertEquals(upTo(n), seen);
    helper.get().join();
  }

  @Test
  void aHelperThatStartsLateTakesWhatIsLeft() {
    int n = HashPipeline.BLOCK * 9;
    AtomicReference<Runnable> later = new AtomicReference<>();
    List<Integer> seen = new ArrayList<>();
    HashPipeline.run(n, WRITER, (from, to) -> {}, (c, tails, k) -> {
      if (c == HashPipeline.BLOCK * 2) {
        new Thread(later.get()).start(); // the helper starts once the caller is two blocks in
      }
      assertEquals(expected(c), hashOf(tails, k), "change " + c);
      seen.add(c);
    }, later::set);
    assertEquals(upTo(n), seen);
  }

  @Test
  void aFailingHelperFailsTheRun() {
    int n = HashPipeline.BLOCK * 8;
    Thread caller = Thread.currentThread();
    IllegalStateException boom = new IllegalStateException("boom");
    HashPipeline.TailWriter failing = (c, encoder, out) -> {
      if (Thread.currentThread() != caller) {
        throw boom;
      }
      out.append(meta(c), NO_OPS);
    };
    AtomicInteger hashed = new AtomicInteger();
    RuntimeException e = assertThrows(RuntimeException.class, () -> HashPipeline.run(n, failing, (from, to) -> {},
        (c, tails, k) -> hashed.incrementAndGet(), task -> {
          Thread t = new Thread(task);
          t.start();
          try {
            t.join(); // the helper has failed on its first block before the caller begins
          } catch (InterruptedException ex) {
            throw new AssertionError(ex);
          }
        }));
    assertSame(boom, e);
    assertTrue(hashed.get() < n, "the run stopped early");
  }

  @Test
  void aFailingHasherStopsTheHelperBeforeTheRunReturns() throws InterruptedException {
    int n = HashPipeline.BLOCK * 40;
    AtomicInteger inWriter = new AtomicInteger();
    AtomicInteger written = new AtomicInteger();
    HashPipeline.TailWriter slow = (c, encoder, out) -> {
      inWriter.incrementAndGet();
      out.append(meta(c), NO_OPS);
      written.incrementAndGet();
      inWriter.decrementAndGet();
    };
    IllegalArgumentException boom = new IllegalArgumentException("bad hash");
    RuntimeException e = assertThrows(RuntimeException.class, () -> HashPipeline.run(n, slow, (from, to) -> {}, (c, tails, k) -> {
      if (c == HashPipeline.BLOCK + 5) {
        throw boom;
      }
    }, task -> new Thread(task).start()));
    assertSame(boom, e);
    assertEquals(0, inWriter.get(), "no tail being written once run has returned");
    int after = written.get();
    Thread.sleep(50);
    assertEquals(after, written.get(), "no tail written after run returned");
    assertTrue(after < n, "the helper stopped before the end: " + after + " of " + n);
  }
}
