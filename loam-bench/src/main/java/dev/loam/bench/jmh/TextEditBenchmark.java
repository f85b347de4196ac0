package dev.loam.bench.jmh;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.bench.TraceReplay;
import java.util.SplittableRandom;
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
 * Local typing into a text that already holds a replayed trace: one committed change inserting
 * a character at a random position, and one deleting a character there. Each invocation is a
 * full change (ops, encoding, hash), as one keystroke is in an editor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TextEditBenchmark {
  @Param({"friendsforever_flat"})
  public String trace;

  Document doc;
  ObjId text;
  SplittableRandom random;

  @Setup(Level.Trial)
  public void replay() {
    TraceReplay.Replayed r = TraceReplay.replay(Traces.readOrFallback(trace), TraceReplay.Mode.PER_TXN);
    doc = r.doc();
    text = r.text();
    random = new SplittableRandom(42);
  }

  @Benchmark
  public Object insertCharacter() {
    int pos = random.nextInt(doc.length(text) + 1);
    return doc.transact(tx -> tx.spliceText(text, pos, 0, "x"));
  }

  @Benchmark
  public Object deleteCharacter() {
    int len = doc.length(text);
    if (len < 1000) {
      doc.transact(tx -> tx.spliceText(text, len, 0, "y".repeat(10_000)));
    }
    int pos = random.nextInt(doc.length(text));
    return doc.transact(tx -> tx.spliceText(text, pos, 1, ""));
  }
}
