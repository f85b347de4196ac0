package dev.loam.bench.jmh;

import dev.loam.Change;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoadResult;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import java.util.ArrayList;
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
 * What a secure document adds to each envelope and each change, beside a plain document: the
 * writer's {@code seal} (sign + compress + pad + encrypt {@code changes} changes into one
 * envelope) and a reader's {@code receive} (verify + admit + decrypt + check + apply), against the
 * plain equivalents (the writer's commit has already happened in both; a plain reader applies the
 * same change chunks). Divide by {@code changes} for the cost per change.
 *
 * <p>Before each invocation (not timed) the writer types {@code changes} one-character changes;
 * for the reader benchmarks it also seals them, so each invocation receives a fresh envelope. Every
 * {@value Members#MAX_ENVELOPES} invocations the writer and reader start a new document (not
 * timed), so the figures are for documents of 1 to {@value Members#MAX_ENVELOPES} envelopes, not for
 * whatever length the run happened to reach.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SecureEnvelopeBenchmark {
  /** A writer and a reader of one secure document, and a plain copy of the reader's document. */
  @State(Scope.Benchmark)
  public static class Members {
    /** Envelopes a document gets before the next invocation starts a new one. */
    static final int MAX_ENVELOPES = 200;

    /** Changes per envelope: one keystroke, or the batch a live writer seals after 100 ms of typing. */
    @Param({"1", "100"})
    public int changes;

    SecureFixtures.Typist typist;
    SecureDocument reader;
    Document plainReader;
    List<byte[]> chunks = List.of();
    int invocations;

    @Setup(Level.Trial)
    public void members() {
      invocations = 0;
      typist = SecureFixtures.typist(1);
      reader = typist.openAs(typist.newMember(dev.loam.secure.Level.READ, 2));
      plainReader = reader.document().fork();
    }

    /** The writer types {@code changes} changes; returns their chunks. */
    void type() {
      if (++invocations > MAX_ENVELOPES) {
        members();
        invocations = 1;
      }
      Heads before = typist.doc().document().heads();
      typist.type(changes);
      List<byte[]> out = new ArrayList<>(changes);
      for (Change c : typist.doc().document().changesSince(before)) {
        out.add(c.bytes().toByteArray());
      }
      chunks = out;
    }
  }

  /** Before each invocation of {@link #seal}: the writer has typed, not sealed. */
  @State(Scope.Benchmark)
  public static class Typed {
    @Setup(Level.Invocation)
    public void type(Members m) {
      m.type();
    }
  }

  /** Before each invocation of the reader benchmarks: the writer has typed and sealed one fresh envelope. */
  @State(Scope.Benchmark)
  public static class Sealed {
    List<SecureItem> envelope = List.of();

    @Setup(Level.Invocation)
    public void typeAndSeal(Members m) {
      m.type();
      envelope = m.typist.doc().seal();
    }
  }

  /** Sign and encrypt: the writer seals its unsealed changes into one envelope. */
  @Benchmark
  public List<SecureItem> seal(Members m, Typed typed) {
    return m.typist.doc().seal();
  }

  /** Verify and decrypt: a reader admits, opens and applies one envelope of {@code changes} changes. */
  @Benchmark
  public List<SecureItem> receive(Members m, Sealed sealed) {
    return m.reader.receive(sealed.envelope);
  }

  /** The plain path's reader: the same change chunks applied to a plain document. */
  @Benchmark
  public LoadResult receivePlain(Members m, Sealed sealed) {
    return m.plainReader.applyChanges(m.chunks);
  }
}
