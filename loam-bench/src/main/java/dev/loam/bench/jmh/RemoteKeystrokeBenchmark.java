package dev.loam.bench.jmh;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.bench.Trace;
import dev.loam.bench.TraceReplay;
import java.util.List;
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
 * Applying one remote keystroke (a change inserting one character, from another actor) to a
 * document of {@code scale} times the base trace. The document is the trace replayed {@code
 * scale} times one after another into the same text, each repetition appended after the previous
 * text: the first with one change per transaction (a real history), the others as one change
 * each, so that 100× fits in memory twice (document and remote fork) while the op set, which is
 * what applying a change works on, is 100× the size. The target: at most 50 µs, flat in
 * document size, at 1×, 10× and 100× {@code automerge-paper} (when that file is absent the
 * committed {@code friendsforever_flat} is the base).
 *
 * <p>The remote peer is a fork of the base document; before each invocation (not timed) it
 * types one character in the middle of the text and hands over that change's bytes.
 *
 * <p>The heap is touched in full at start ({@code AlwaysPreTouch}): without it, the kernel's
 * first-touch page faults as the young generation reached fresh memory were 62 % of the measured
 * time in a profile, and whole iterations ran at 50-110 µs against 4-8 µs for the same calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RemoteKeystrokeBenchmark {
  @Param({"automerge-paper"})
  public String base;

  @Param({"1", "10", "100"})
  public int scale;

  Document doc;
  Document remote;
  ObjId text;
  byte[] change;

  @Setup(Level.Trial)
  public void build() {
    Trace t = Traces.readOrFallback(base);
    doc = TraceReplay.repeated(t, scale).doc();
    remote = doc.fork();
    remote.setActor(ActorId.of(new byte[] {0x7e, 0x57}));
    text = ((dev.loam.Value.Obj) doc.get(ObjId.ROOT, "text").orElseThrow()).id();
  }

  @Setup(Level.Invocation)
  public void remoteTypes() {
    int mid = remote.length(text) / 2;
    ChangeHash h = remote.transact(tx -> tx.spliceText(text, mid, 0, "k")).orElseThrow();
    change = remote.change(h).orElseThrow().bytes().toByteArray();
  }

  @Benchmark
  public Object applyRemoteKeystroke() {
    return doc.applyChanges(List.of(change));
  }
}
