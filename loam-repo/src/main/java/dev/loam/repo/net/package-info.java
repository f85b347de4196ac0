/**
 * Network transports for a {@link dev.loam.repo.Repo}. Start with
 * {@link dev.loam.repo.net.WebSocketClientAdapter#of}, the client side of automerge-repo's
 * WebSocket transport; the messages it carries are in {@code dev.loam.repo.protocol}.
 *
 * <p>A repo that syncs through a server:
 * {@snippet class=dev.loam.repo.net.NetExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.net;

import org.jspecify.annotations.NullMarked;
