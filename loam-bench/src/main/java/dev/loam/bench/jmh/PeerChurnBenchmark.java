package dev.loam.bench.jmh;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.repo.Repo;
import dev.loam.repo.SharePolicy;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A server's repo (share policy {@link SharePolicy#NEVER}, the repo's own virtual-thread executor)
 * holding {@code docs} documents, through which {@code peers} clients pass: each connects and asks
 * about one document (a {@code request}); once the repo has answered every one of them, they all
 * disconnect; one operation is that whole round, until every document's queue is idle again
 * ({@link Repo#flush}). What a
 * reconnection storm costs a server (every client of a killed cluster node arriving at once), what
 * a connection costs per document open, and (one document) what a document with many peers costs
 * per peer joining and leaving.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class PeerChurnBenchmark {
  @Param({"1", "200", "5000"})
  public int docs;

  @Param({"5000"})
  public int peers;

  private static final PeerId SELF = PeerId.of("server");

  private Repo repo;
  private final List<DocumentId> ids = new ArrayList<>();
  private NetworkAdapter.@Nullable Listener listener;
  private Bytes hello;
  private long round;
  private final java.util.concurrent.atomic.AtomicLong answers = new java.util.concurrent.atomic.AtomicLong();

  @Setup(Level.Trial)
  public void open() {
    NetworkAdapter network = new NetworkAdapter() {
      @Override
      public void connect(PeerId self, PeerMetadata metadata, Listener l) {
        listener = l;
      }

      @Override
      public void send(RepoMessage message) {
        answers.incrementAndGet();
      }

      @Override
      public void close() {
      }
    };
    repo = Repo.builder().peerId(SELF).network(network).sharePolicy(SharePolicy.NEVER).build();
    for (int i = 0; i < docs; i++) {
      ids.add(repo.create().documentId());
    }
    hello = Bytes.wrap(Sync.generateSyncMessage(Document.create(), new SyncState()).orElseThrow().encode());
  }

  @TearDown(Level.Trial)
  public void close() {
    repo.close();
  }

  @Benchmark
  public int joinAskAndLeave() {
    NetworkAdapter.Listener l = listener;
    long r = round++;
    List<PeerId> joined = new ArrayList<>(peers);
    for (int p = 0; p < peers; p++) {
      PeerId peer = PeerId.of("p" + r + "-" + p);
      joined.add(peer);
      l.peerCandidate(peer, PeerMetadata.EPHEMERAL);
      l.message(new RepoMessage.Request(peer, SELF, ids.get(p % docs), hello));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (answers.get() < (r + 1) * peers) { // every request answered (one message each)
      if (System.nanoTime() > until) {
        throw new IllegalStateException("only " + answers.get() + " answers after 60 s");
      }
      Thread.onSpinWait();
    }
    for (PeerId peer : joined) {
      l.peerDisconnected(peer);
    }
    repo.flush();
    return joined.size();
  }
}
