package dev.loam.secure.crypto;

/**
 * The receiver's side of an HPKE base-mode context (RFC 9180 section 5.1.1, "ContextR"): opens the
 * sender's messages in the order they were sealed. Safe to use from many threads: messages are
 * taken in the order the {@link #open} calls run.
 */
public final class HpkeReceiver {
  private final HpkeKeySchedule schedule;

  HpkeReceiver(HpkeKeySchedule schedule) {
    this.schedule = schedule;
  }

  /**
   * Opens the next message (RFC 9180 section 5.2). A message that fails does not use up its
   * sequence number.
   *
   * @throws AuthenticationException if the message, its associated data or its position differs
   *     from what the sender sealed
   */
  public byte[] open(byte[] aad, byte[] ciphertext) {
    return schedule.open(aad, ciphertext);
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
    return "HpkeReceiver[]";
  }
}
