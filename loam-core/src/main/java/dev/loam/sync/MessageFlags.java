package dev.loam.sync;

/**
 * The flags section of a sync message: present means the sender understands v2 messages; the bits
 * carry per-message signals.
 *
 * <p>On the wire Loam writes {@code 02 02 (0x80|bits)}: length 2, the legacy "supports v2" byte,
 * then the bitfield with bit 7 set. When reading, every byte with bit 7 set contributes its low
 * seven bits and other bytes (the old capability list {@code 01 02}) are ignored.
 *
 * @param bits the flag bits, {@link #SYNC_RESET}, {@link #READ_ONLY}, {@link #SUPPORTS_SYNC_RESET} and unknown ones
 */
public record MessageFlags(int bits) {
  /** The receiver must forget which changes it already sent. */
  public static final int SYNC_RESET = 1;
  /** The sender will not apply incoming changes. */
  public static final int READ_ONLY = 1 << 1;
  /** The sender understands {@link #SYNC_RESET}. */
  public static final int SUPPORTS_SYNC_RESET = 1 << 2;

  private static final int MARKER = 0x80;
  private static final int LEGACY_V2 = 0x02;

  public MessageFlags {
    if ((bits & ~0x7f) != 0) {
      throw new IllegalArgumentException("flag bits fit in 7 bits: " + bits);
    }
  }

  /** Whether {@code flag} (one of the constants above) is set. */
  public boolean has(int flag) {
    return (bits & flag) != 0;
  }

  /** Reads the flags from the bytes of the section (after its length). */
  static MessageFlags parse(byte[] section) {
    int bits = 0;
    for (byte b : section) {
      if ((b & MARKER) != 0) {
        bits |= b & 0x7f;
      }
    }
    return new MessageFlags(bits);
  }

  /** The section's bytes, without the length prefix. */
  byte[] encode() {
    return new byte[] {LEGACY_V2, (byte) (MARKER | bits)};
  }
}
