/**
 * Many documents, as automerge-repo names, keeps and syncs them. Start with
 * {@link dev.loam.repo.Repo#builder()}: give it a storage adapter (for example
 * {@code SqliteStorageAdapter.open(path)}) and network adapters (for example
 * {@code WebSocketClientAdapter.of("ws://localhost:3030")}), then {@code create()} or
 * {@code find(url)} documents and work with each through its {@link dev.loam.repo.DocHandle}.
 * Name documents with
 * {@link dev.loam.repo.id.DocumentId} ({@code DocumentId.random()}, {@code DocumentId.parse(text)})
 * and link to them with {@link dev.loam.repo.id.AutomergeUrl} ({@code automerge:…}). Storage lives
 * in {@code dev.loam.repo.storage}, the WebSocket client in {@code dev.loam.repo.net}, the wire
 * protocol in {@code dev.loam.repo.protocol}; plug-in
 * interfaces in {@code dev.loam.repo.spi}.
 *
 * <p>To follow every document of a repo (an index, a search), add a {@link dev.loam.repo.DocHandle.Listener}
 * with {@link dev.loam.repo.Repo#addListener}; to back a repo up, {@link dev.loam.repo.Repo#backup}
 * gives a consistent copy of its storage; to seal some documents, give the builder a
 * {@link dev.loam.repo.spi.DocumentHook}.
 *
 * <p>A document kept in SQLite, found again by its URL after a restart:
 * {@snippet class=dev.loam.repo.RepoExampleTest region=example}
 */
@NullMarked
package dev.loam.repo;

import org.jspecify.annotations.NullMarked;
