package dev.loam.cli;

import dev.loam.Heads;
import dev.loam.repo.DocHandle;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.SyncCounts;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.secure.SecureUrl;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam sync URL [--server ws://…] [--data DIR]}: syncs one document of a local repo folder
 * with a sync server, both ways, and exits when the server reports the same heads as the folder
 * holds (both then have every change either had). A sync that takes longer than a second shows a
 * progress line on stderr; one that does not finish within {@code --timeout} fails. A refused
 * connection or a failed WebSocket handshake fails at once. A secure document ({@code loam-secure:}
 * URL) syncs over the server's authenticated secure protocol as the identity of {@code --id}
 * ({@link SecureSync}).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Sync a document of a local repo folder with a sync server (loam serve, or automerge-repo's), both ways.",
        "Exits once the server has the same heads as the folder; prints the heads on stdout.",
        "A secure document (loam-secure: URL) syncs as the identity of --id (or LOAM_ID), authenticated; exits once the server",
        "has stored every local item and the folder every item the server has for that identity."})
final class SyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: or loam-secure: URL (or its id).")
  String url;

  @Option(names = "--server", defaultValue = "ws://localhost:3030", description = "Sync server (default ${DEFAULT-VALUE}).")
  URI server;

  @Option(names = "--failover", paramLabel = "URL",
      description = "Another node of the server's cluster, tried in turn when the server cannot be reached (repeatable; plain documents).")
  java.util.List<URI> failover = new java.util.ArrayList<>();

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Mixin IdOption id;

  @Override
  public Integer call() throws InterruptedException {
    Optional<SecureUrl> secure = SecureUrl.tryParse(url);
    if (secure.isPresent()) {
      String line = SecureSync.run(data, secure.get(), server, id.load("loam sync"), Duration.ofSeconds(timeoutSeconds));
      spec.commandLine().getOut().print(line + "\n");
      spec.commandLine().getOut().flush();
      return 0;
    }
    DocumentId id = LocalRepo.parseDocument(url);
    PrintWriter err = spec.commandLine().getErr();
    WebSocketClientAdapter network = client(server, failover);
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
    Heads heads;
    try (Progress progress = Progress.start(err, start, Progress.onATerminal());
        LocalRepo local = LocalRepo.open(data, "loam sync", LocalRepo.Access.CREATE, Optional.of(network))) {
      progress.describe(() -> "connecting to " + server);
      PeerId serverPeer = awaitHandshake(network, deadline, server, timeoutSeconds);
      // the repo hears of the server just after the handshake and then queues its conversations
      await(local.repo().whenPeerConnected(serverPeer::equals), deadline, "could not reach the sync server at " + server);
      String failure = "the sync of " + id.toUrl() + " with " + server + " did not finish within " + timeoutSeconds + " s";
      progress.describe(() -> "syncing " + id.toUrl() + " with " + server + ": waiting for the document");
      DocHandle h = local.repo().find(id);
      try {
        await(h.whenReady(), deadline, failure);
      } catch (CliException e) {
        if (e.getCause() instanceof DocumentUnavailableException) {
          throw new CliException("neither the repo folder " + data + " nor the server " + server + " has " + id.toUrl());
        }
        throw e;
      }
      progress.describe(() -> {
        SyncCounts c = h.syncCounts(serverPeer);
        return "syncing " + id.toUrl() + " with " + server + ": " + c.changesReceived() + " changes received, "
            + c.changesSent() + " sent";
      });
      heads = await(h.whenSyncedWith(serverPeer), deadline, failure);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print("synced " + id.toUrl() + " with " + server + " (heads " + heads + ")\n");
    out.flush();
    return 0;
  }

  /** A client for {@code server}; an {@code http://} or other non-WebSocket URL is a clear error. */
  static WebSocketClientAdapter client(URI server) {
    return client(server, java.util.List.of());
  }

  /** A client for {@code server}, failing over to {@code others}; an {@code http://} or other non-WebSocket URL is a clear error. */
  private static WebSocketClientAdapter client(URI server, java.util.List<URI> others) {
    checkWebSocket("--server", server);
    others.forEach(u -> checkWebSocket("--failover", u));
    return WebSocketClientAdapter.builder(server).failover(others).build();
  }

  private static void checkWebSocket(String option, URI server) {
    String scheme = server.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss")) || server.getHost() == null) {
      String hint = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)
          ? " (try " + server.toString().replaceFirst("(?i)^http", "ws") + ")" : "";
      throw new CliException(option + " " + server + " is not a WebSocket URL: it starts with ws:// or wss://" + hint);
    }
  }

  /**
   * The server's peer id, once it has answered the join; fails at once when the connection is
   * refused or the handshake fails, and at {@code deadline} when the server accepts but does not answer.
   */
  static PeerId awaitHandshake(WebSocketClientAdapter network, long deadline, URI server, long timeoutSeconds)
      throws InterruptedException {
    try {
      return network.firstHandshake().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new CliException(Main.oneLine(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new CliException("could not reach the sync server at " + server + " within " + timeoutSeconds
          + " s: it did not complete the WebSocket handshake");
    }
  }

  /**
   * The value of {@code future}, waiting until {@code deadline} (a {@link System#nanoTime} value).
   *
   * @throws CliException with {@code timeoutMessage} when the deadline passes, or with the
   *     future's failure as its cause when it fails
   */
  static <T> T await(CompletableFuture<T> future, long deadline, String timeoutMessage)
      throws InterruptedException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CliException(timeoutMessage);
    } catch (ExecutionException e) {
      throw new CliException(timeoutMessage + ": " + e.getCause().getMessage(), e.getCause());
    }
  }
}
