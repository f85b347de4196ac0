package dev.loam.secure;

import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * A signed op of a secure document's membership log: genesis, add, remove or rotate (helper
 * 'rules' makes this a sealed interface of records and defines the kinds).
 */
public non-sealed interface MembershipOp extends SecureItem {
  OpId id();

  /** The key that signed the op. */
  Ed25519PublicKey issuer();

  /** The ops this one follows (empty only for genesis). */
  List<OpId> parents();
}
