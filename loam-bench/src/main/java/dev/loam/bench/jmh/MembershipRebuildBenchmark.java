package dev.loam.bench.jmh;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureStore;
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
 * documents have no equivalent (their cost is zero). {@link #rebuild} verifies every signature (the
 * fork turns the per-process cache of verified items off), as for a folder opened for the first
 * time; {@link #rebuildServer} and {@link #rebuildMarked} are what a server reloading its own store
 * and a member reopening its own folder pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g", "-Dloam.secure.verifiedCache=0"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class MembershipRebuildBenchmark {
  @Param({"1000"})
  public int members;

  @Param({"10000"})
  public int ops;

  DocumentId document;
  List<byte[]> encoded;
  SecureStore serverStore;
  SecureRepo memberRepo;

  @Setup
  public void log() {
    List<SecureItem> items = SecureFixtures.membershipLog(members, ops, 42);
    document = items.getFirst().documentId();
    encoded = items.stream().map(i -> i.encoded().toByteArray()).toList();
    InMemoryStorageAdapter folder = new InMemoryStorageAdapter();
    serverStore = SecureStore.on(folder);
    items.forEach(serverStore::append);
    memberRepo = SecureRepo.of(folder, Identity.generate(SecureFixtures.random(43)));
    memberRepo.open(document).orElseThrow(); // verifies every op once and marks it
  }

  /** From stored bytes to the member list: decode and verify every op, evaluate, list. */
  @Benchmark
  public Map<MemberId, Level> rebuild() {
    return rebuild(document, encoded);
  }

  /** A server rebuilding an evicted log from its own store: decode without verifying (docs/security.md, "Verification once"), evaluate, list. */
  @Benchmark
  public Map<MemberId, Level> rebuildServer() {
    return SecureLog.restore(document, serverStore.loadVerifiedBefore(document)).members();
  }

  /** A member reopening its own folder: items carry its verification marks, so none is verified again. */
  @Benchmark
  public Map<MemberId, Level> rebuildMarked() {
    return memberRepo.open(document).orElseThrow().members();
  }

  static Map<MemberId, Level> rebuild(DocumentId document, List<byte[]> encoded) {
    List<SecureItem> items = encoded.stream().map(SecureItem::decode).toList();
    return SecureLog.restore(document, items).members();
  }
}
