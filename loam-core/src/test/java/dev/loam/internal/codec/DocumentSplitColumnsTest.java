package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import dev.loam.Seeds;
import dev.loam.internal.change.ChangeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A document of {@link DocumentEncoder#SPLIT_OPS} ops or more, from a source that may be read by
 * two threads, has its op columns written on two cores. The bytes must be the one-thread
 * encoder's (which the differential tests hold to Automerge JS's), and each thread must keep to
 * its half of the source, as {@link DocumentContents.OpRows#concurrentReads} promises sources.
 */
class DocumentSplitColumnsTest {
  /** Random ops as document rows: a change op's preds serve as the row's successors. */
  private static DocumentContents.OpRows rows(List<ChangeOp> ops, long[] idCtr, int[] idActor, boolean shared, Threads threads) {
    return new DocumentContents.OpRows() {
      @Override public int count() { return ops.size(); }
      @Override public long idCtr(int i) { return threads.key(idCtr[i]); }
      @Override public int idActor(int i) { return threads.key(idActor[i]); }
      @Override public long objCtr(int i) { return threads.key(ops.get(i).objCtr()); }
      @Override public int objActor(int i) { return threads.key(ops.get(i).objActor()); }
      @Override public String key(int i) { return threads.key(ops.get(i).key()); }
      @Override public long elemCtr(int i) { return threads.key(ops.get(i).elemCtr()); }
      @Override public int elemActor(int i) { return threads.key(ops.get(i).elemActor()); }
      @Override public boolean insert(int i) { return threads.key(ops.get(i).insert()); }
      @Override public int action(int i) { return threads.key(ops.get(i).action()); }
      @Override public ScalarValue value(int i) { return threads.value(ops.get(i).value()); }
      @Override public int succCount(int i) { return threads.value(ops.get(i).predCount()); }
      @Override public long succCtr(int i, int k) { return threads.value(ops.get(i).predCtr()[k]); }
      @Override public int succActor(int i, int k) { return threads.value(ops.get(i).predActor()[k]); }
      @Override public boolean expand(int i) { return threads.value(ops.get(i).expand()); }
      @Override public String markName(int i) { return threads.value(ops.get(i).markName()); }
      @Override public boolean concurrentReads() { return shared; }
    };
  }

  /** The threads that asked for each half of the source. */
  private static final class Threads {
    final java.util.Set<Thread> keySide = ConcurrentHashMap.newKeySet();
    final java.util.Set<Thread> valueSide = ConcurrentHashMap.newKeySet();

    <T> T key(T x) {
      keySide.add(Thread.currentThread());
      return x;
    }

    <T> T value(T x) {
      valueSide.add(Thread.currentThread());
      return x;
    }
  }

  private static DocumentContents contents(DocumentContents.OpRows ops) {
    List<ActorId> actors = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      actors.add(ActorId.of(new byte[] {(byte) a, 1, 2, 3}));
    }
    DocumentContents.ChangeRows none = new DocumentContents.ChangeRows() {
      @Override public int count() { return 0; }
      @Override public int actor(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public long seq(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public long maxOp(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public long time(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public String message(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public int depCount(int i) { throw new IndexOutOfBoundsException(i); }
      @Override public int dep(int i, int k) { throw new IndexOutOfBoundsException(i); }
      @Override public byte[] extraBytes(int i) { throw new IndexOutOfBoundsException(i); }
    };
    return new DocumentContents(actors, List.<ChangeHash>of(), new int[0], none, ops);
  }

  @TestFactory
  Stream<DynamicTest> aLargeDocumentWrittenOnTwoCoresHasTheOneThreadBytes() {
    return Seeds.tests("document split columns", seed -> {
      Random rnd = new Random(seed);
      int n = DocumentEncoder.SPLIT_OPS + rnd.nextInt(4000);
      List<ChangeOp> ops = new ArrayList<>(n);
      long[] idCtr = new long[n];
      int[] idActor = new int[n];
      for (int i = 0; i < n; i++) {
        ops.add(OneOpColumnsTest.randomOp(rnd));
        idCtr[i] = 1 + rnd.nextInt(1 << rnd.nextInt(31));
        idActor[i] = rnd.nextInt(4);
      }
      boolean compress = rnd.nextBoolean();
      Threads one = new Threads();
      byte[] expected = DocumentEncoder.encode(contents(rows(ops, idCtr, idActor, false, one)), compress);
      Threads two = new Threads();
      byte[] split = DocumentEncoder.encode(contents(rows(ops, idCtr, idActor, true, two)), compress);
      assertArrayEquals(expected, split);
      assertTrue(two.keySide.size() == 1 && two.valueSide.size() == 1,
          () -> "each half read by one thread: keys by " + two.keySide + ", values by " + two.valueSide);
    });
  }
}
