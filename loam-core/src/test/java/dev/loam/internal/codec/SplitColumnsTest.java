package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ScalarValue;
import dev.loam.Seeds;
import dev.loam.internal.change.ChangeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A change of {@link ChangeChunk#SPLIT_OPS} ops or more, from a source that may be read by two
 * threads, has its columns written on two cores: the bytes must be those of the one-thread
 * encoders (which the differential tests hold to Automerge JS's) for every kind of op; and work
 * offered to the other core runs exactly once, on whichever side claims it.
 */
class SplitColumnsTest {
  /** {@code src}, declaring that two threads may read it. */
  private static ChangeOpSource shared(ChangeOpSource src) {
    return new ChangeOpSource() {
      @Override public int size() { return src.size(); }
      @Override public int objActor(int i) { return src.objActor(i); }
      @Override public long objCtr(int i) { return src.objCtr(i); }
      @Override public String key(int i) { return src.key(i); }
      @Override public int elemActor(int i) { return src.elemActor(i); }
      @Override public long elemCtr(int i) { return src.elemCtr(i); }
      @Override public boolean insert(int i) { return src.insert(i); }
      @Override public int action(int i) { return src.action(i); }
      @Override public ScalarValue value(int i) { return src.value(i); }
      @Override public int predCount(int i) { return src.predCount(i); }
      @Override public int predActor(int i, int k) { return src.predActor(i, k); }
      @Override public long predCtr(int i, int k) { return src.predCtr(i, k); }
      @Override public boolean expand(int i) { return src.expand(i); }
      @Override public String markName(int i) { return src.markName(i); }
      @Override public boolean concurrentReads() { return true; }
    };
  }

  @TestFactory
  Stream<DynamicTest> aLargeChangeWrittenOnTwoCoresHasTheOneThreadBytes() {
    return Seeds.tests("split columns", seed -> {
      Random rnd = new Random(seed);
      int n = ChangeChunk.SPLIT_OPS + rnd.nextInt(2000);
      List<ChangeOp> ops = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ops.add(OneOpColumnsTest.randomOp(rnd));
      }
      ChangeOpSource one = ChangeOpSource.of(ops);
      assertArrayEquals(ChangeChunk.opColumnBytes(one, true), ChangeChunk.opColumnBytes(shared(one), true));
    });
  }

  @Test
  void offeredWorkRunsOnceWhetherTheCallerOrAWorkerTakesIt() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      int[] runs = new int[1];
      OtherCore<Integer> work = OtherCore.start(() -> {
        synchronized (runs) {
          return ++runs[0];
        }
      });
      if (i % 2 == 0) {
        Thread.sleep(0, 1000); // sometimes let a worker take it first
      }
      assertEquals(1, work.join());
      synchronized (runs) {
        assertEquals(1, runs[0]);
      }
    }
  }

  @Test
  void whatTheOfferedWorkThrowsTheCallerGets() {
    IllegalStateException boom = new IllegalStateException("boom");
    OtherCore<Void> work = OtherCore.start(() -> {
      throw boom;
    });
    assertEquals(boom, org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, work::join));
  }
}
