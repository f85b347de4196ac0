package dev.loam.server;

import dev.loam.repo.id.StorageId;

/**
 * What holds the server's documents and answers its peers: a {@code Repo} with share policy
 * "announce nothing" (see {@link RepoSyncHost}). {@link LoamServer} reaches its documents only
 * through this. Implementations are thread-safe.
 */
interface SyncHost extends AutoCloseable {
  /** Documents held in memory now. */
  int documentCount();

  /** Of those, documents the server lacks that peers asked about and are waiting for ({@link ServerLimits#maxMissingDocumentsPerPeer()}). */
  int missingDocumentCount();

  /** The id of the storage the documents are kept in, as the server announces it to peers. */
  StorageId storageId();

  /** Saves everything received so far, disconnects every peer and closes the storage; messages after this are ignored. */
  @Override
  void close();
}
