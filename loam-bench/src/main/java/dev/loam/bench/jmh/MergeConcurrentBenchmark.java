package dev.loam.bench.jmh;

import dev.loam.bench.Trace;
import dev.loam.bench.TraceReplay;
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
 * Replaying a concurrent trace with one replica per agent, each receiving the other agents'
 * changes (as bytes, {@code applyChanges}) exactly when the trace's parents say it merged them
 * ({@link TraceReplay#replayConcurrent}). Single-shot: each iteration is one whole replay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class MergeConcurrentBenchmark {
  @Param({"friendsforever", "clownschool"})
  public String trace;

  Trace t;
  TraceReplay.Plan plan;

  @Setup(Level.Trial)
  public void read() {
    t = Traces.read(trace);
    plan = TraceReplay.Plan.of(t);
  }

  @Benchmark
  public Object mergeConcurrentTrace() {
    TraceReplay.Replayed r = TraceReplay.replayConcurrent(t, plan);
    if (!r.doc().text(r.text()).equals(t.endContent)) {
      throw new IllegalStateException(trace + ": replicas did not converge to endContent");
    }
    return r;
  }
}
