package dev.loam.bench.jmh;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebuilding a secure document's membership from its log, as a server does when it loads a
 * document and a member does when it opens one: every op decoded and verified (signature, op id),
 * then the three evaluation passes of docs/security.md, then the member list. The log has
 * {@code members} members and {@code ops} ops (see {@link SecureFixtures#membershipLog}); plain
 * documents have no equivalent (their cost is zero).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class MembershipRebuildBenchmark {
  @Param({"1000"})
  public int members;

  @Param({"10000"})
  public int ops;

  DocumentId document;
  List<byte[]> encoded;

  @Setup
  public void log() {
    List<SecureItem> items = SecureFixtures.membershipLog(members, ops, 42);
    document = items.getFirst().documentId();
    encoded = items.stream().map(i -> i.encoded().toByteArray()).toList();
  }

  /** From stored bytes to the member list: decode and verify every op, evaluate, list. */
  @Benchmark
  public Map<MemberId, Level> rebuild() {
    return rebuild(document, encoded);
  }

  static Map<MemberId, Level> rebuild(DocumentId document, List<byte[]> encoded) {
    List<SecureItem> items = encoded.stream().map(SecureItem::decode).toList();
    return SecureLog.restore(document, items).members();
  }
}
