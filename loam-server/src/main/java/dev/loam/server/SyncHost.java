package dev.loam.server;

import dev.loam.repo.spi.NetworkAdapter;

/**
 * What the server does with the repo messages its peers send: the part of a repo a sync server
 * needs (a document store that answers sync messages, with share policy "announce nothing").
 * {@link LoamServer} talks to its documents only through this, so the server's own
 * {@link ServerSynchronizer} can be swapped for a full {@code Repo}. Implementations are
 * thread-safe and follow the adapter's threading (calls for one peer never overlap).
 */
public interface SyncHost extends NetworkAdapter.Listener, AutoCloseable {
  /** Documents held in memory now. */
  int documentCount();

  /** Makes everything received so far durable (documents are already; sync states may lag). */
  void flush();

  /** Flushes and releases memory; messages after this are ignored. */
  @Override
  void close();
}
