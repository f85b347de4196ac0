/**
 * The Loam sync server. Start one with {@code LoamServer.builder().port(3030).storage(adapter).build().start()},
 * or from the shell with {@code loam serve}. A stock JavaScript automerge-repo client
 * ({@code Repo} with {@code WebSocketClientAdapter}) connects to it unchanged.
 *
 * <p>{@link dev.loam.server.WebSocketServerAdapter} is the transport (the server side of
 * automerge-repo's WebSocket protocol, usable on its own as a {@code NetworkAdapter});
 * {@link dev.loam.server.PostgresStorageAdapter} keeps documents in PostgreSQL;
 * {@link dev.loam.server.DataFolderLock} keeps two processes off one data folder. Out of the box
 * the server also serves Loam Notes, the collaborative notes web app of the {@code loam-app} jar,
 * at {@code GET /} ({@code LoamServer.Builder.serveApp(false)} turns it off).
 *
 * <p>A server on a free port, and two repos sharing a document through it:
 * {@snippet class=dev.loam.server.ServerExampleTest region=example}
 */
@NullMarked
package dev.loam.server;

import org.jspecify.annotations.NullMarked;
