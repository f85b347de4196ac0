/**
 * The automerge-repo network protocol: {@link dev.loam.repo.net.RepoMessage} (a sealed set of
 * records, one per message type) and {@link dev.loam.repo.net.RepoMessageCodec}, which reads and
 * writes them as the CBOR frames JS peers send; and
 * {@link dev.loam.repo.net.WebSocketClientAdapter}, the client side of the WebSocket transport.
 */
@NullMarked
package dev.loam.repo.net;

import org.jspecify.annotations.NullMarked;
