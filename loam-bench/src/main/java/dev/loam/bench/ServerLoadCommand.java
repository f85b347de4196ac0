package dev.loam.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loam bench server}: the load of {@link ServerLoad} against a running sync server on
 * loopback (a {@code loam serve} or the JS automerge-repo sync server; {@code bench/server-load}
 * starts either), then its memory: RSS from {@code /proc/PID/status}, and for a Loam server the
 * heap after a full GC ({@code jcmd PID GC.run}, then {@code /metrics}).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Open N automerge-repo WebSocket clients against a sync server on loopback, one typist per document,",
        "and report connections held, fan-out latency p50/p99/max, messages/s, server heap and RSS, errors."})
final class ServerLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", required = true, description = "The server, ws://127.0.0.1:PORT (loopback only).")
  URI url;

  @Option(names = "--clients", defaultValue = "100", description = "Connections (default ${DEFAULT-VALUE}, at most 20,000).")
  int clients;

  @Option(names = "--docs", defaultValue = "10", description = "Documents (default ${DEFAULT-VALUE}); one typist each.")
  int docs;

  @Option(names = "--keys-per-second", defaultValue = "5", description = "Each typist's rate (default ${DEFAULT-VALUE}).")
  double keysPerSecond;

  @Option(names = "--seconds", defaultValue = "30", description = "Typing time (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "40",
      description = "Typing before the measured --seconds, not reported: both processes compile their hot code (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--settle-seconds", defaultValue = "20",
      description = "After typing, how long every keystroke may take to reach every reader (default ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(names = "--connect-concurrency", defaultValue = "200", description = "Connections opening at once (default ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(names = "--io-threads", defaultValue = "1",
      description = "Selector threads for the connections; the clients' messages are handled on them (default ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(names = "--server-pid", description = "The server's process id, for its RSS (and heap, with --metrics).")
  long serverPid = -1;

  @Option(names = "--metrics", description = "A Loam server's /metrics URL (loopback), read for its heap after a GC.")
  @Nullable URI metrics;

  @Option(names = "--idle", description = "Measure heap per idle connection instead: heap after GC with the clients joined"
      + " and synced and no typing, minus after they have closed, divided by their number.")
  boolean idle;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ServerLoad.Options o = new ServerLoad.Options(url, clients, docs, keysPerSecond,
        Duration.ofSeconds(idle ? 0 : warmupSeconds), Duration.ofSeconds(idle ? 0 : seconds), Duration.ofSeconds(settleSeconds), connectConcurrency, ioThreads,
        serverPid < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(serverPid));
    if (!listening(url)) { // each client would otherwise wait out its connect and sync timeouts: minutes
      spec.commandLine().getErr().printf("loam bench server: nothing listens at %s (is the server running?)%n", url);
      return 1;
    }
    out.printf(Locale.ROOT, "%s: %,d clients over %,d documents, %.1f keys/s per typist, %d s after %d s of warm-up%n", url,
        clients, docs, keysPerSecond, idle ? 0 : seconds, idle ? 0 : warmupSeconds);
    out.flush();
    ServerLoad load = new ServerLoad(o);
    ServerLoad.Report r;
    if (idle) {
      r = load.run(() -> measured(out, "with " + clients + " idle connections"));
      long heapHeld = r.measuredWhileHeld();
      TimeUnit.SECONDS.sleep(3); // the server notices the closes
      long heapAfter = heapAfterGc();
      out.printf(Locale.ROOT, "heap after GC: %,d bytes held with the connections, %,d after; %,.0f bytes per idle connection%n",
          heapHeld, heapAfter, heapHeld < 0 || heapAfter < 0 ? Double.NaN : (heapHeld - heapAfter) / (double) r.connected());
    } else {
      r = load.run(() -> measured(out, "after the load, clients still connected"));
    }
    out.print(report(r));
    out.flush();
    boolean clean = r.errors() == 0 && r.undelivered() == 0 && r.converged() && r.heldAtEnd() == r.clients();
    return clean ? 0 : 1;
  }

  /** Whether a TCP connection to {@code url}'s host and port opens within two seconds. */
  private static boolean listening(URI url) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()), 2_000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private long measured(PrintWriter out, String when) {
    long heap = heapAfterGc();
    long rss = rss();
    out.printf(Locale.ROOT, "server %s: heap after GC %s, RSS %s%n", when, heap < 0 ? "n/a" : mib(heap),
        rss < 0 ? "n/a" : mib(rss));
    out.flush();
    return heap;
  }

  static String report(ServerLoad.Report r) {
    return String.format(Locale.ROOT, """
        connections: %,d opened of %,d, %,d held at the end
        keystrokes: %,d typed in %.1f s, %,d not delivered to every reader; converged: %s
        fan-out (typist's message sent until the last reader of the document has it): p50 %.1f ms, p99 %.1f ms, max %.1f ms
        messages: %,.0f/s received by the clients, %,.0f/s sent by them
        CPU while typing: load generator %s (its JIT compilers %s), server %s (per message received by the clients: %s and %s)
        readers' sync steps: %,d, of which %,d computed (the rest shared by readers with the same history)
        errors: %,d%s
        """, r.connected(), r.clients(), r.heldAtEnd(), r.keystrokes(), r.typingSeconds(), r.undelivered(), r.converged(),
        r.quantileMs(0.5), r.quantileMs(0.99), r.maxMs(), r.messagesIn() / Math.max(1e-9, r.typingSeconds()),
        r.messagesOut() / Math.max(1e-9, r.typingSeconds()), cpu(r.generatorCpuNanos()), cpu(r.generatorJitNanos()), cpu(r.serverCpuNanos()),
        perMessage(r.generatorCpuNanos(), r.messagesIn()), perMessage(r.serverCpuNanos(), r.messagesIn()),
        r.readerSteps(), r.readerStepsComputed(), r.errors(),
        r.errorSamples().isEmpty() ? "" : " e.g. " + String.join("; ", r.errorSamples()));
  }

  private static String cpu(long nanos) {
    return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String perMessage(long nanos, long messages) {
    return nanos < 0 || messages == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3 / messages);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** The server's resident set, from /proc/PID/status, or -1. */
  private long rss() {
    if (serverPid < 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** A Loam server's heap used after a full GC: jcmd PID GC.run, then the heap gauges of /metrics; -1 without both. */
  private long heapAfterGc() {
    if (metrics == null || serverPid < 0) {
      return -1;
    }
    try {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      Process p = new ProcessBuilder(jcmd, Long.toString(serverPid), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(60, TimeUnit.SECONDS);
      String body;
      try (HttpClient c = HttpClient.newHttpClient()) {
        body = c.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      }
      long sum = 0;
      for (String line : body.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
