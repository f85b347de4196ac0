package dev.loam.bench.jmh;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.bench.TraceBench;
import dev.loam.bench.TraceReplay;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole-document operations on a replayed trace (one change per transaction): save, load (with
 * heads verified, which is what load does), and the sync messages that bring an empty peer up
 * to date.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DocumentBenchmark {
  @Param({"friendsforever_flat", "automerge-paper"})
  public String trace;

  Document doc;
  ObjId text;
  boolean typed;
  byte[] saved;
  byte[] emptyPeerHello;

  @Setup(Level.Trial)
  public void replay() {
    TraceReplay.Replayed replayed = TraceReplay.replay(Traces.readOrFallback(trace), TraceReplay.Mode.PER_TXN);
    doc = replayed.doc();
    text = replayed.text();
    saved = doc.save();
    Document empty = Document.create();
    emptyPeerHello = Sync.generateSyncMessage(empty, new SyncState()).orElseThrow().encode();
  }

  /**
   * A one-character edit (typing one, then deleting it, in turn), then a save: a document saved
   * again unchanged hands out the bytes of its last save, so without the edit this would measure
   * a copy. The edit itself costs microseconds.
   */
  @Benchmark
  public byte[] save() {
    boolean insert = !typed;
    doc.transact(tx -> {
      if (insert) {
        tx.spliceText(text, 0, 0, "x");
      } else {
        tx.spliceText(text, 0, 1, "");
      }
    });
    typed = insert;
    return doc.save();
  }

  @Benchmark
  public Document load() {
    return Document.load(saved);
  }

  /** The full side's first message (heads, Bloom filter) to a peer it knows nothing about. */
  @Benchmark
  public SyncMessage syncFirstMessage() {
    return Sync.generateSyncMessage(doc, new SyncState()).orElseThrow();
  }

  /** After the empty peer's first message: the message carrying every change to it. */
  @Benchmark
  public SyncMessage syncChangesForEmptyPeer() {
    SyncState s = new SyncState();
    Sync.generateSyncMessage(doc, s);
    Sync.receiveSyncMessage(doc, s, emptyPeerHello);
    return Sync.generateSyncMessage(doc, s).orElseThrow();
  }

  /** The whole exchange with an empty peer until both stop, as the trace harness times it. */
  @Benchmark
  public int syncEmptyPeer() {
    return TraceBench.syncToEmptyPeer(doc, Document.create());
  }

  /** Map puts: 1,000 keys in one change. */
  @State(Scope.Thread)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public static class MapPuts {
    Document map;
    String[] keys;
    long next;

    @Setup(Level.Iteration)
    public void fresh() {
      map = Document.create();
      keys = new String[1000];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "key" + i;
      }
    }
  }

  /** One change putting 1,000 integer values under 1,000 keys of the root map (they overwrite on later invocations). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object mapPut1000Keys(MapPuts s) {
    return s.map.transact(tx -> {
      for (int i = 0; i < s.keys.length; i++) {
        tx.put(ObjId.ROOT, s.keys[i], new ScalarValue.Int(i));
      }
    });
  }

  /**
   * One change with one map put, as a UI changing a field. The value differs every time: putting
   * the value a key already has makes no change, which would measure an empty transaction.
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object mapPutOneKey(MapPuts s) {
    long v = s.next++;
    return s.map.transact(tx -> tx.put(ObjId.ROOT, "k", new ScalarValue.Int(v)));
  }
}
