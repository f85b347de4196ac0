package dev.loam.secure.crypto;

import java.util.HexFormat;

/**
 * The sender's side of an HPKE base-mode context (RFC 9180 section 5.1.1, "ContextS"): the
 * encapsulated key to send, then any number of sealed messages, numbered in order. Safe to use from
 * many threads: messages are numbered in the order their {@link #seal} calls run.
 */
public final class HpkeSender {
  private final byte[] enc;
  private final HpkeKeySchedule schedule;

  HpkeSender(byte[] enc, HpkeKeySchedule schedule) {
    this.enc = enc;
    this.schedule = schedule;
  }

  /** The 32-byte encapsulated key the receiver needs to set up its side (a copy). */
  public byte[] enc() {
    return enc.clone();
  }

  /**
   * Seals the next message (RFC 9180 section 5.2): ChaCha20-Poly1305 under the context key and the
   * nonce of the next sequence number; returns the ciphertext followed by the 16-byte tag.
   */
  public byte[] seal(byte[] aad, byte[] plaintext) {
    return schedule.seal(aad, plaintext);
  }

  /** Exports {@code length} bytes of secret bound to {@code context} (RFC 9180 section 5.3). */
  public byte[] export(byte[] context, int length) {
    return schedule.export(context, length);
  }

  HpkeKeySchedule schedule() {
    return schedule;
  }

  @Override
  public String toString() {
    return "HpkeSender[enc=" + HexFormat.of().formatHex(enc) + "]";
  }
}
