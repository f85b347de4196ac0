package dev.loam.server;

/**
 * What holds the server's documents and answers its peers: a {@code Repo} with share policy
 * "announce nothing" (see {@link RepoSyncHost}). {@link LoamServer} reaches its documents only
 * through this. Implementations are thread-safe.
 */
interface SyncHost extends AutoCloseable {
  /** Documents held in memory now. */
  int documentCount();

  /** Makes everything received so far durable (documents are already; sync states may lag). */
  void flush();

  /** Flushes, disconnects every peer and closes the storage; messages after this are ignored. */
  @Override
  void close();
}
