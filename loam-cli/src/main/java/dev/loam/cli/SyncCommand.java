package dev.loam.cli;

import dev.loam.Heads;
import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam sync URL [--server ws://…] [--data DIR]}: syncs one document of a local repo folder
 * with a sync server, both ways, and exits when the server reports the same heads as the folder
 * holds (both then have every change either had). A sync that takes longer than a second shows a
 * progress line on stderr; one that does not finish within {@code --timeout} fails. A refused
 * connection or a failed WebSocket handshake fails at once.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Sync a document of a local repo folder with a sync server (loam serve, or automerge-repo's), both ways.",
        "Exits once the server has the same heads as the folder; prints the heads on stdout."})
final class SyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: URL (or its id).")
  String url;

  @Option(names = "--server", defaultValue = "ws://localhost:3030", description = "Sync server (default ${DEFAULT-VALUE}).")
  URI server;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    DocumentId id = LocalRepo.parseDocument(url);
    PrintWriter err = spec.commandLine().getErr();
    WebSocketClientAdapter network = client(server);
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
    Progress progress = new Progress(err, start, onATerminal());
    Heads heads;
    try (progress; LocalRepo local = LocalRepo.open(data, "loam sync", LocalRepo.Access.CREATE, Optional.of(network))) {
      awaitHandshake(network, deadline);
      PeerId serverPeer;
      while (true) {
        Optional<PeerId> p = network.serverPeer();
        if (p.isPresent() && local.repo().peers().containsKey(p.get())) {
          serverPeer = p.get();
          break;
        }
        checkDeadline(deadline, "could not reach the sync server at " + server);
        progress.show("connecting to " + server);
        Thread.sleep(20);
      }
      DocHandle h = local.repo().find(id);
      while (true) {
        switch (h.state()) {
          case UNAVAILABLE, DELETED -> throw new CliException(
              "neither the repo folder " + data + " nor the server " + server + " has " + id.toUrl());
          case LOADING, REQUESTING, READY -> { }
        }
        if (h.isReady()) {
          Heads mine = h.heads();
          Optional<Heads> theirs = h.peerHeads(serverPeer);
          if (theirs.isPresent() && theirs.get().equals(mine)) {
            heads = mine;
            break;
          }
        }
        checkDeadline(deadline, "the sync of " + id.toUrl() + " with " + server + " did not finish within "
            + timeoutSeconds + " s");
        progress.show("syncing " + id.toUrl() + " with " + server + ": "
            + (h.isReady() ? h.read(d -> d.changes().size()) + " changes here" : "waiting for the document"));
        Thread.sleep(20);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print("synced " + id.toUrl() + " with " + server + " (heads " + heads + ")\n");
    out.flush();
    return 0;
  }

  /** A client for {@code server}; an {@code http://} or other non-WebSocket URL is a clear error. */
  private static WebSocketClientAdapter client(URI server) {
    try {
      return WebSocketClientAdapter.of(server.toString());
    } catch (IllegalArgumentException e) {
      String hint = "http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme())
          ? " (try " + server.toString().replaceFirst("(?i)^http", "ws") + ")" : "";
      throw new CliException("--server " + server + " is not a WebSocket URL: it starts with ws:// or wss://" + hint);
    }
  }

  /**
   * Waits until the server has answered the join; fails at once when the connection is refused or
   * the handshake fails, and at {@code deadline} when the server accepts but does not answer.
   */
  private void awaitHandshake(WebSocketClientAdapter network, long deadline) throws InterruptedException {
    try {
      network.firstHandshake().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new CliException(Main.oneLine(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new CliException("could not reach the sync server at " + server + " within " + timeoutSeconds
          + " s: it did not complete the WebSocket handshake");
    }
  }

  /** True when the process runs on a terminal (Java 22+ says so with {@code Console.isTerminal}; 21 has no console otherwise). */
  private static boolean onATerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private static void checkDeadline(long deadline, String message) {
    if (System.nanoTime() - deadline > 0) {
      throw new CliException(message);
    }
  }

  /**
   * A progress line on stderr when it is a terminal: shown once a second after the first second,
   * rewritten in place, and erased at the end.
   */
  private static final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final long start;
    private final boolean enabled;
    private long next;
    private int shown;

    Progress(PrintWriter err, long start, boolean enabled) {
      this.err = err;
      this.start = start;
      this.enabled = enabled;
      this.next = start + 1_000_000_000L;
    }

    void show(String what) {
      long now = System.nanoTime();
      if (!enabled || now - next < 0) {
        return;
      }
      next = now + 1_000_000_000L;
      String line = what + " (" + (now - start) / 1_000_000_000L + " s)";
      err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
      err.flush();
      shown = Math.max(shown, line.length());
    }

    @Override
    public void close() {
      if (shown > 0) {
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
      }
    }
  }
}
