/**
 * The secure documents' wire protocol: its messages ({@link dev.loam.secure.net.SecureMessage}, CBOR
 * maps on a Loam server's {@value dev.loam.secure.net.SecureMessage#PATH} WebSocket path) and a
 * device's side of it ({@link dev.loam.secure.net.SecureSyncClient}): challenge-response
 * authentication, signed pulls, pushes of signed items acknowledged once the server stored them.
 *
 * <p>The handshake, both sides:
 * {@snippet class=dev.loam.secure.net.NetExampleTest region=example}
 */
@NullMarked
package dev.loam.secure.net;

import org.jspecify.annotations.NullMarked;
