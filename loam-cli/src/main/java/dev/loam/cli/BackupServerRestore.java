package dev.loam.cli;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.backup.Backup;
import dev.loam.backup.BackupContents;
import dev.loam.backup.RestoreOptions;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Restores a chain into a running sync server by syncing its documents in, as an ordinary
 * automerge-repo client: a {@link Repo} with in-memory storage holding the verified backup (after
 * any as-of cut) and a {@link WebSocketClientAdapter} to the server. The server merges what it
 * lacks as it merges any client's changes, stores it, and passes it to its connected clients as
 * ordinary sync; it keeps every change of its own (a merge, never a rollback), and because the
 * restoring client is a new peer with no sync state, no one resumes a stale sync conversation.
 * Returns once the server reports, for every document, heads that cover the backup's. Used by one
 * command on one thread.
 */
final class BackupServerRestore {
  /** Documents synced at once: enough to keep the socket busy, few enough to bound the server's work per client. */
  static final int BATCH = 64;

  private BackupServerRestore() {}

  /**
   * Syncs the chain's documents into {@code server}; fails when the server confirms no further
   * document for {@code timeoutSeconds}. Returns the count of documents restored. Blocks on the
   * archives, the connection and the server's confirmations.
   *
   * @throws CliException if the backup holds secure documents (they sync only as their members),
   *     the server cannot be reached, or it stops confirming
   */
  static int run(List<Path> chain, RestoreOptions options, URI server, long timeoutSeconds, Progress progress)
      throws InterruptedException {
    progress.describe(() -> "restoring: reading the backup");
    BackupContents contents = Backup.read(chain, options);
    if (!contents.secure().isEmpty()) {
      throw new CliException("the backup holds " + contents.secure().size() + " secure document(s), which sync into a server"
          + " only as their members: stop the server and restore into its storage (--data or --storage), then start it again");
    }
    InMemoryStorageAdapter staging = new InMemoryStorageAdapter();
    for (BackupContents.Plain p : contents.plain()) {
      staging.save(StorageKey.of(p.id().toString(), "snapshot", headsHash(p.heads())), p.save());
    }
    WebSocketClientAdapter network = SyncCommand.client(server);
    AtomicInteger confirmed = new AtomicInteger();
    int total = contents.plain().size();
    try (Repo repo = Repo.builder().storage(staging).network(network).build()) {
      long timeout = java.time.Duration.ofSeconds(timeoutSeconds).toNanos();
      progress.describe(() -> "restoring: connecting to " + server);
      PeerId serverPeer = SyncCommand.awaitHandshake(network, System.nanoTime() + timeout, server, timeoutSeconds);
      SyncCommand.await(repo.whenPeerConnected(serverPeer::equals), System.nanoTime() + timeout,
          "could not reach the sync server at " + server);
      progress.describe(() -> "restoring into " + server + ": " + confirmed.get() + "/" + total + " documents confirmed");
      AtomicLong lastConfirmed = new AtomicLong(System.nanoTime());
      for (int from = 0; from < total; from += BATCH) {
        List<CompletableFuture<Heads>> batch = new ArrayList<>();
        for (BackupContents.Plain p : contents.plain().subList(from, Math.min(total, from + BATCH))) {
          DocHandle h = repo.find(p.id());
          batch.add(h.whenReady().thenCompose(ready -> ready.whenPeerHas(serverPeer, p.heads())).thenApply(heads -> {
            confirmed.incrementAndGet();
            lastConfirmed.set(System.nanoTime());
            return heads;
          }));
        }
        awaitConfirmations(CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)), lastConfirmed, timeout,
            () -> "the server at " + server + " confirmed " + confirmed.get() + " of " + total + " documents, then none for "
                + timeoutSeconds + " s; running the restore again resumes it (what the server has merges as a no-op)");
      }
    }
    return total;
  }

  /**
   * Waits for {@code all}, failing once {@code idle} nanoseconds pass with no confirmation (the
   * latest is {@code lastConfirmed}, a {@link System#nanoTime} value).
   */
  private static void awaitConfirmations(CompletableFuture<Void> all, AtomicLong lastConfirmed, long idle,
      Supplier<String> timeoutMessage) throws InterruptedException {
    while (true) {
      try {
        all.get(Math.max(0, lastConfirmed.get() + idle - System.nanoTime()), TimeUnit.NANOSECONDS);
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() - lastConfirmed.get() >= idle) {
          throw new CliException(timeoutMessage.get());
        }
      } catch (ExecutionException e) {
        throw new CliException("the restore through the server failed: " + Main.oneLine(String.valueOf(e.getCause().getMessage())),
            e.getCause());
      }
    }
  }

  /** The name automerge-repo gives a snapshot of {@code heads}: SHA-256 hex of the concatenated hex heads. */
  private static String headsHash(Heads heads) {
    StringBuilder sb = new StringBuilder();
    for (ChangeHash h : heads) {
      sb.append(h.hex());
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
