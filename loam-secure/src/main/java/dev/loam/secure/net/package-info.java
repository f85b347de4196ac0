/**
 * The secure documents' wire protocol: its messages ({@link dev.loam.secure.net.SecureMessage}, CBOR
 * maps on a Loam server's {@value dev.loam.secure.net.SecureMessage#PATH} WebSocket path) and a
 * device's side of it ({@link dev.loam.secure.net.SecureSyncClient}): challenge-response
 * authentication, signed pulls, pushes of signed items acknowledged once the server stored them.
 */
@NullMarked
package dev.loam.secure.net;

import org.jspecify.annotations.NullMarked;
