package dev.loam.secure;

import dev.loam.Bytes;

/**
 * The secret read key of one epoch of a secure document, with what names the epoch: its op id (a
 * genesis or rotate op) and its nonce (the op's random 16 bytes, which key wraps are bound to,
 * because an op's id is not known before it is signed). Immutable; {@link #toString()} never shows
 * the key.
 *
 * @param epoch the genesis or rotate op that opened the epoch
 * @param nonce that op's nonce
 * @param key the 32-byte epoch key
 */
public record EpochKey(OpId epoch, Bytes nonce, Bytes key) {
  /** The length of an epoch key. */
  public static final int LENGTH = 32;

  public EpochKey {
    if (nonce.size() != MembershipOp.NONCE_LENGTH) {
      throw new IllegalArgumentException("an epoch nonce has " + MembershipOp.NONCE_LENGTH + " bytes, not " + nonce.size());
    }
    if (key.size() != LENGTH) {
      throw new IllegalArgumentException("an epoch key has " + LENGTH + " bytes, not " + key.size());
    }
  }

  @Override
  public String toString() {
    return "EpochKey[" + epoch + "]";
  }
}
