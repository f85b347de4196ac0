/**
 * Loam's secure documents: documents whose members are public keys, with signed changes and
 * end-to-end encryption, built on the JDK's own cryptography only.
 *
 * <p>Exported packages:
 * <pre>
 * dev.loam.secure         identities (Identity, MemberId), items (SecureItem: MembershipOp, Envelope),
 *                         the keyless rules (SecureLog), epochs and keys (Epochs, KeyRing)
 * dev.loam.secure.crypto  the primitives (Ed25519, X25519, HKDF, ChaCha20-Poly1305, HPKE, PBKDF2)
 * dev.loam.secure.net     the secure wire protocol (SecureMessage) and a device's client (SecureSyncClient)
 * </pre>
 */
module dev.loam.secure {
  requires transitive dev.loam.core;
  requires transitive dev.loam.repo;
  // transitive: the public API carries JSpecify annotations
  requires static transitive org.jspecify;
  requires tools.jackson.core;
  requires tools.jackson.databind;
  requires tools.jackson.dataformat.cbor;
  requires java.net.http;

  exports dev.loam.secure;
  exports dev.loam.secure.crypto;
  exports dev.loam.secure.net;
}
