/**
 * The cryptographic primitives of secure documents, each a thin, checked layer over the JDK's
 * providers: Ed25519 signatures ({@link dev.loam.secure.crypto.Ed25519PrivateKey}), X25519 key
 * agreement ({@link dev.loam.secure.crypto.X25519PrivateKey}), HKDF-SHA256 ({@link
 * dev.loam.secure.crypto.Hkdf}), ChaCha20-Poly1305 ({@link dev.loam.secure.crypto.ChaCha20Poly1305}),
 * HPKE base mode ({@link dev.loam.secure.crypto.Hpke}), SHA-256 and PBKDF2-HMAC-SHA256 ({@link
 * dev.loam.secure.crypto.Digests}).
 *
 * <p>Keys are immutable and copy their bytes in and out; their {@code toString} never shows
 * secret material. Every failure is a {@link dev.loam.secure.crypto.CryptoException}.
 *
 * <p>Alice seals a message to Bob's key and signs it:
 * {@snippet class=dev.loam.secure.crypto.CryptoExampleTest region=example}
 */
@NullMarked
package dev.loam.secure.crypto;

import org.jspecify.annotations.NullMarked;
