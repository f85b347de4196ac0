package dev.loam.bench;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.server.LoamServer;
import dev.loam.server.ServerLimits;
import dev.loam.sync.SyncLimits;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One keystroke relayed through a {@link LoamServer} between two Loam repos, on a document of a
 * given size: repo A types one character in the middle of the text, and the time until repo B
 * holds A's heads is the relay time (both clients' work included); the server's own share is its
 * {@code loam.relay} timer (a sync message with changes arriving until the server has handed the
 * change to the other peer's socket). The document is loaded into A, synced to the server and to
 * B before the timed keystrokes.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class RelayBench {
  /** The relay times of one run, in nanoseconds: end to end (A's change until B has it) and the server's share. */
  public record Result(long changes, long[] endToEndNanos, long[] serverNanos) {}

  private RelayBench() {}

  /** A document of {@code changes} changes, each typing one character into {@code /text} at a pseudo-random place. */
  public static Document synthetic(int changes, long seed) {
    Document d = Document.create(ActorId.of(new byte[] {0x5e, 0x71}), TraceReplay.EPOCH);
    ObjId[] made = new ObjId[1];
    d.transact(tx -> made[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    ObjId text = made[0];
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    String letters = "abcdefghijklmnopqrstuvwxyz ";
    for (int i = 1; i < changes; i++) {
      int at = random.nextInt(i);
      String c = String.valueOf(letters.charAt(random.nextInt(letters.length())));
      d.transact(tx -> tx.spliceText(text, at, 0, c));
    }
    return d;
  }

  /**
   * Relays {@code keystrokes} keystrokes typed into {@code doc}'s {@code /text} through a fresh
   * server on {@code storage} with {@code limits}, raised where the document needs it (see {@link #fitted}).
   */
  public static Result run(Document doc, StorageAdapter storage, ServerLimits limits, int keystrokes) throws Exception {
    long changes = doc.changes().size();
    byte[] saved = doc.save();
    long history = doc.syncDoc().historyBytes();
    ServerLimits fit = fitted(limits, saved.length, history);
    SyncLimits clientLimits = SyncLimits.builder().maxMessageBytes(fit.maxMessageBytes())
        .maxDocumentBytes(fit.maxDocumentBytes()).build();
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1").storage(storage).limits(fit).build()
        .start();
         Repo a = client(server, "relay-a", clientLimits);
         Repo b = client(server, "relay-b", clientLimits)) {
      DocHandle ha = a.importDoc(saved);
      ha.whenPeerHas(server.peerId(), ha.heads()).get(10, TimeUnit.MINUTES);
      DocHandle hb = b.find(ha.url()).whenReady().get(10, TimeUnit.MINUTES);
      until(hb, ha.heads()).get(10, TimeUnit.MINUTES);
      ObjId text = ha.read(d -> ((Value.Obj) d.get(ObjId.ROOT, "text").orElseThrow()).id());
      Timer relay = server.meterRegistry().get("loam.relay").timer();
      long[] e2e = new long[keystrokes];
      long[] serverShare = new long[keystrokes];
      for (int k = 0; k < keystrokes; k++) {
        double before = relay.totalTime(TimeUnit.NANOSECONDS);
        long start = System.nanoTime();
        ha.change(tx -> tx.spliceText(text, tx.length(text) / 2, 0, "k"));
        until(hb, ha.heads()).get(1, TimeUnit.MINUTES);
        e2e[k] = System.nanoTime() - start;
        serverShare[k] = (long) (relay.totalTime(TimeUnit.NANOSECONDS) - before);
      }
      return new Result(changes, e2e, serverShare);
    }
  }

  /**
   * {@code limits} with room for a document of {@code history} bytes of changes whose save takes
   * {@code savedBytes}: a sync to a peer without it sends the whole save as one message, and the
   * keystrokes after it add to the history. The defaults (64 MiB messages, 1 GiB documents) hold
   * up to about ten times seph-blog1's changes; the 100x document needs more.
   */
  static ServerLimits fitted(ServerLimits limits, long savedBytes, long history) {
    long message = Math.min(Integer.MAX_VALUE, Math.max(limits.maxMessageBytes(), 2 * savedBytes + (1 << 20)));
    return limits.newBuilder().maxMessageBytes((int) message)
        .maxUnfinishedBytes(Math.max(limits.maxUnfinishedBytes(), 2 * message))
        .maxQueuedBytes(Math.max(limits.maxQueuedBytes(), 2 * message))
        .maxDocumentBytes(Math.max(limits.maxDocumentBytes(), 2 * history)).build();
  }

  private static Repo client(LoamServer server, String name, SyncLimits limits) throws Exception {
    Repo r = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter()).syncDebounce(Duration.ZERO)
        .syncLimits(limits)
        .network(WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + server.port()))
            .maxMessageBytes((int) Math.min(Integer.MAX_VALUE, Math.max(256 << 20, 2L * limits.maxMessageBytes()))).build())
        .build();
    r.whenPeerConnected().get(1, TimeUnit.MINUTES);
    return r;
  }

  /** Completes once {@code h} holds {@code heads}. */
  private static CompletableFuture<Void> until(DocHandle h, Heads heads) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    DocHandle.Listener l = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (h.heads().equals(heads)) {
          done.complete(null);
        }
      }
    };
    h.addListener(l);
    if (h.heads().equals(heads)) {
      done.complete(null);
    }
    return done.whenComplete((v, e) -> h.removeListener(l));
  }

  /** Median of {@code nanos}, in milliseconds. */
  static double medianMs(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }
}
