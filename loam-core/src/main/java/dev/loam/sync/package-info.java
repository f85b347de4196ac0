/**
 * Automerge's sync protocol, byte-compatible with Automerge 2.x and 3.x peers. Keep one {@link
 * dev.loam.sync.SyncState} per peer (restore it with {@link dev.loam.sync.SyncState#decode} on
 * reconnect), call {@link dev.loam.sync.Sync#generateSyncMessage} and send what it returns, and
 * hand every message that arrives to {@link dev.loam.sync.Sync#receiveSyncMessage}; repeat until
 * neither side has anything to send. Transport-free and synchronous.
 *
 * <p>A laptop brings a phone up to date:
 * {@snippet class=dev.loam.sync.SyncExampleTest region=example}
 */
@NullMarked
package dev.loam.sync;

import org.jspecify.annotations.NullMarked;
