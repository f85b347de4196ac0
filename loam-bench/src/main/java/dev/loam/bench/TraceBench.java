package dev.loam.bench;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoadOptions;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Measures one trace in this JVM: replay, save, load, memory kept and syncing an empty peer.
 *
 * <p>Run {@code i = 0} is the first in a fresh JVM (the cold figure); the warm figure is the
 * median of runs {@code 1 .. runs - 1} (or run 0 when {@code runs == 1}). Every run replays the
 * trace from scratch and checks its text; times are {@link System#nanoTime()} around the call
 * only. Memory is measured once, after the last run: heap used after full GCs while the
 * replayed document is reachable, minus the same without it.
 */
public final class TraceBench {
  /** What one trace cost. Times in milliseconds. */
  public record Result(
      String trace,
      String mode,
      int runs,
      int txns,
      long charOps,
      long changes,
      double replayFirstMs,
      double replayMedianMs,
      double saveFirstMs,
      double saveMs,
      int saveBytes,
      double loadFirstMs,
      double loadMs,
      double loadDeferredFirstMs,
      double loadDeferredMs,
      long hashedBytes,
      long heapBytes,
      double syncFirstMs,
      double syncEmptyPeerMs,
      int syncMessages,
      int finalLength,
      boolean textOk,
      boolean loadOk,
      boolean syncOk,
      String heads,
      double sha256MBps) {

    /** The object of issue 5: {trace, mode, runs, replayMs: {first, median}, saveMs, ...}. */
    public String toJson(boolean detail) {
      StringBuilder s = new StringBuilder();
      s.append("{\"trace\":").append(quote(trace))
          .append(",\"mode\":").append(quote(mode))
          .append(",\"runs\":").append(runs)
          .append(",\"replayMs\":{\"first\":").append(num(replayFirstMs)).append(",\"median\":").append(num(replayMedianMs)).append('}')
          .append(",\"saveMs\":").append(num(saveMs))
          .append(",\"saveBytes\":").append(saveBytes)
          .append(",\"loadMs\":").append(num(loadMs))
          .append(",\"heapBytes\":").append(heapBytes)
          .append(",\"syncEmptyPeerMs\":").append(num(syncEmptyPeerMs))
          .append(",\"finalLength\":").append(finalLength)
          .append(",\"textOk\":").append(textOk);
      if (detail) {
        s.append(",\"detail\":{\"txns\":").append(txns)
            .append(",\"charOps\":").append(charOps)
            .append(",\"changes\":").append(changes)
            .append(",\"saveFirstMs\":").append(num(saveFirstMs))
            .append(",\"loadFirstMs\":").append(num(loadFirstMs))
            .append(",\"syncFirstMs\":").append(num(syncFirstMs))
            .append(",\"syncMessages\":").append(syncMessages)
            .append(",\"loadOk\":").append(loadOk)
            .append(",\"syncOk\":").append(syncOk)
            .append(",\"heads\":").append(quote(heads))
            .append(",\"sha256MBps\":").append(num(sha256MBps))
            .append(",\"hashedBytes\":").append(hashedBytes)
            .append(",\"sha256FloorMs\":").append(num(sha256FloorMs()))
            .append(",\"loadDeferredFirstMs\":").append(num(loadDeferredFirstMs))
            .append(",\"loadDeferredMs\":").append(num(loadDeferredMs))
            .append('}');
      }
      return s.append('}').toString();
    }

    /**
     * The least a verified load can cost: the bytes of every change chunk it must hash, at this
     * JVM's SHA-256 throughput over large blocks (issue 5's floor; small chunks hash slower).
     */
    public double sha256FloorMs() {
      return sha256MBps <= 0 ? 0 : hashedBytes / (sha256MBps * 1e6) * 1e3;
    }

    public String toText() {
      return String.format(Locale.ROOT,
          "%s (%s, %d runs): %d txns, %d char-ops, %d changes%n"
              + "  replay   first %.1f ms, median %.1f ms   text %s (%d chars)%n"
              + "  save     first %.1f ms, median %.1f ms   %d bytes (%.2f B/change, %.3f B/op)%n"
              + "  load     first %.1f ms, median %.1f ms   heads %s (SHA-256 floor %.1f ms: %d bytes at %.0f MB/s)%n"
              + "  load, verification deferred: first %.1f ms, median %.1f ms%n"
              + "  memory   %.1f MiB kept%n"
              + "  sync     first %.1f ms, median %.1f ms   %d messages, %s%n",
          trace, mode, runs, txns, charOps, changes,
          replayFirstMs, replayMedianMs, textOk ? "ok" : "WRONG", finalLength,
          saveFirstMs, saveMs, saveBytes, (double) saveBytes / changes, (double) saveBytes / charOps,
          loadFirstMs, loadMs, loadOk ? "ok" : "WRONG", sha256FloorMs(), hashedBytes, sha256MBps,
          loadDeferredFirstMs, loadDeferredMs,
          heapBytes / 1048576.0,
          syncFirstMs, syncEmptyPeerMs, syncMessages, syncOk ? "peer converged" : "peer DIFFERS");
    }
  }

  private static final LoadOptions DEFER = LoadOptions.builder().deferVerification(true).build();

  private TraceBench() {}

  /** Measures {@code trace} in {@code mode} over {@code runs} runs (at least 1). */
  public static Result run(Trace trace, TraceReplay.Mode mode, int runs) {
    return run(trace, mode, runs, null);
  }

  /** As {@link #run(Trace, TraceReplay.Mode, int)}, also writing the last saved document to {@code saveTo} if not null. */
  public static Result run(Trace trace, TraceReplay.Mode mode, int runs, @Nullable Path saveTo) {
    runs = Math.max(1, runs);
    double[] replay = new double[runs];
    double[] save = new double[runs];
    double[] load = new double[runs];
    double[] loadDeferred = new double[runs];
    long hashedBytes = 0;
    double[] sync = new double[runs];
    boolean textOk = true;
    boolean loadOk = true;
    boolean syncOk = true;
    int saveBytes = 0;
    int syncMessages = 0;
    int finalLength = 0;
    long changes = 0;
    String heads = "";
    TraceReplay.Plan plan = trace.concurrent ? TraceReplay.Plan.of(trace) : null;
    byte[] lastSaved = null;
    for (int r = 0; r < runs; r++) {
      System.gc();
      long t0 = System.nanoTime();
      TraceReplay.Replayed rep = plan != null
          ? TraceReplay.replayConcurrent(trace, plan)
          : TraceReplay.replay(trace, mode);
      replay[r] = ms(System.nanoTime() - t0);
      Document doc = rep.doc();
      String text = doc.text(rep.text());
      textOk &= text.equals(trace.endContent);
      finalLength = text.length();
      Heads h = doc.heads();
      heads = h.toString();

      t0 = System.nanoTime();
      byte[] bytes = doc.save();
      save[r] = ms(System.nanoTime() - t0);
      saveBytes = bytes.length;
      lastSaved = bytes;

      t0 = System.nanoTime();
      Document loaded = Document.load(bytes);
      load[r] = ms(System.nanoTime() - t0);
      loadOk &= loaded.heads().equals(h) && loaded.text(rep.text()).equals(text);
      loaded = null;

      t0 = System.nanoTime();
      Document deferred = Document.load(bytes, DEFER);
      loadDeferred[r] = ms(System.nanoTime() - t0);
      loadOk &= deferred.heads().equals(h) && deferred.text(rep.text()).equals(text);
      deferred = null;

      t0 = System.nanoTime();
      Document peer = Document.create(ActorId.of(new byte[] {(byte) 0xee}), TraceReplay.EPOCH);
      syncMessages = syncToEmptyPeer(doc, peer);
      sync[r] = ms(System.nanoTime() - t0);
      syncOk &= peer.heads().equals(h) && peer.text(rep.text()).equals(text);

      // after the timed steps: listing the changes re-encodes every one (the history keeps no bytes)
      List<Change> all = doc.changes();
      changes = all.size();
      hashedBytes = 0;
      for (Change c : all) {
        hashedBytes += c.bytes().size();
      }
    }
    if (saveTo != null) {
      try {
        Files.write(saveTo, lastSaved);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    lastSaved = null;
    long heap = heapKept(trace, mode, plan);
    return new Result(trace.name, plan != null ? "concurrent" : mode.label, runs, trace.txns(), trace.charOps, changes,
        replay[0], warmMedian(replay), save[0], warmMedian(save), saveBytes, load[0], warmMedian(load),
        loadDeferred[0], warmMedian(loadDeferred), hashedBytes, heap,
        sync[0], warmMedian(sync), syncMessages, finalLength, textOk, loadOk, syncOk, heads, sha256Throughput());
  }

  /** Syncs {@code full} and {@code empty} until neither has a message; returns the messages sent. */
  public static int syncToEmptyPeer(Document full, Document empty) {
    SyncState a = new SyncState();
    SyncState b = new SyncState();
    int messages = 0;
    for (int round = 0; round < 1000; round++) {
      boolean sent = false;
      Optional<SyncMessage> m = Sync.generateSyncMessage(full, a);
      if (m.isPresent()) {
        Sync.receiveSyncMessage(empty, b, m.get().encode());
        messages++;
        sent = true;
      }
      m = Sync.generateSyncMessage(empty, b);
      if (m.isPresent()) {
        Sync.receiveSyncMessage(full, a, m.get().encode());
        messages++;
        sent = true;
      }
      if (!sent) {
        return messages;
      }
    }
    throw new IllegalStateException("sync did not stop after 1000 rounds");
  }

  /** Heap used after GC with a freshly replayed document, minus without it. */
  static long heapKept(Trace trace, TraceReplay.Mode mode, TraceReplay.Plan plan) {
    long before = usedAfterGc();
    TraceReplay.Replayed rep = plan != null ? TraceReplay.replayConcurrent(trace, plan) : TraceReplay.replay(trace, mode);
    long with = usedAfterGc();
    Reference.reachabilityFence(rep);
    rep = null;
    long after = usedAfterGc();
    // Before and after bracket "without": take the smaller, so JIT/metadata growth is not counted.
    return with - Math.min(before, after);
  }

  static long usedAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 64 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }

  /** SHA-256 throughput of this JVM in MB/s over 64 KiB blocks: the floor of verified loading. */
  static double sha256Throughput() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[64 * 1024];
      for (int i = 0; i < 200; i++) {
        md.update(block);
      }
      md.digest();
      long t0 = System.nanoTime();
      int n = 800;
      for (int i = 0; i < n; i++) {
        md.update(block);
      }
      md.digest();
      double s = (System.nanoTime() - t0) / 1e9;
      return n * block.length / 1e6 / s;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static double warmMedian(double[] a) {
    if (a.length == 1) {
      return a[0];
    }
    double[] w = Arrays.copyOfRange(a, 1, a.length);
    Arrays.sort(w);
    int m = w.length / 2;
    return w.length % 2 == 1 ? w[m] : (w[m - 1] + w[m]) / 2;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
