package dev.loam.backup;

import dev.loam.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The archive format's fixed parts: constants, the header and the trailer (the whole layout is
 * drawn in {@code docs/backup-format.md}). All integers are big-endian.
 *
 * <pre>
 * file    = header(64) ‖ frame* ‖ trailer(56)
 * header  = "LOAMBKUP" ‖ u16 version ‖ u16 flags (bit 0: encrypted) ‖ u32 PBKDF2 iterations
 *           ‖ salt(16) ‖ key check(32)                      (iterations, salt, check 0 if plain)
 * frame   = u8 type (1 entry, 2 manifest) ‖ u32 length ‖ payload(length)
 * trailer = u64 manifest frame offset ‖ u32 frame count ‖ u32 0
 *           ‖ SHA-256(every byte before this field) ‖ "LOAMBEND"
 * </pre>
 */
final class ArchiveFormat {
  /** The only format version this Loam writes and reads. */
  static final int VERSION = 1;
  static final byte[] MAGIC = "LOAMBKUP".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END_MAGIC = "LOAMBEND".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_LENGTH = 64;
  static final int TRAILER_LENGTH = 56;
  /** Bytes of the trailer that its checksum does not cover: the checksum and the end magic. */
  static final int TRAILER_UNHASHED = 40;
  static final int FRAME_HEADER_LENGTH = 5;
  static final byte FRAME_ENTRY = 1;
  static final byte FRAME_MANIFEST = 2;
  static final int SALT_LENGTH = 16;
  static final int CHECK_LENGTH = 32;
  /** The largest frame payload (a document's data must fit in one Java array). */
  static final int MAX_FRAME = Integer.MAX_VALUE - 64;

  private ArchiveFormat() {}

  /**
   * The header's fields.
   *
   * @param version the format version
   * @param encrypted whether frames are encrypted
   * @param iterations PBKDF2 iterations (0 if plain)
   * @param salt PBKDF2 salt (zeros if plain)
   * @param keyCheck proves a derived key right without decrypting (zeros if plain)
   */
  record Header(int version, boolean encrypted, int iterations, Bytes salt, Bytes keyCheck) {
    static Header plain() {
      return new Header(VERSION, false, 0, Bytes.wrap(new byte[SALT_LENGTH]), Bytes.wrap(new byte[CHECK_LENGTH]));
    }

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
      b.put(MAGIC).putShort((short) version).putShort((short) (encrypted ? 1 : 0)).putInt(iterations);
      b.put(salt.toByteArray()).put(keyCheck.toByteArray());
      return b.array();
    }

    /** Reads a header whose magic was checked (the reader refuses unknown versions and flags after this). */
    static Header decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, HEADER_LENGTH - MAGIC.length);
      int version = Short.toUnsignedInt(b.getShort());
      int flags = Short.toUnsignedInt(b.getShort());
      int iterations = b.getInt();
      byte[] salt = new byte[SALT_LENGTH];
      byte[] check = new byte[CHECK_LENGTH];
      b.get(salt).get(check);
      return new Header(version, (flags & 1) != 0, iterations, Bytes.wrap(salt), Bytes.wrap(check));
    }

    static int flags(byte[] bytes) {
      return Short.toUnsignedInt(ByteBuffer.wrap(bytes).getShort(MAGIC.length + 2));
    }
  }

  /**
   * The trailer's fields.
   *
   * @param manifestOffset where the manifest frame starts
   * @param frames how many frames the file holds (entries and the manifest)
   * @param sha256 SHA-256 of every byte of the file before this field
   */
  record Trailer(long manifestOffset, int frames, Bytes sha256) {
    /** The hashed first part of the trailer. */
    static byte[] hashedPart(long manifestOffset, int frames) {
      return ByteBuffer.allocate(TRAILER_LENGTH - TRAILER_UNHASHED).putLong(manifestOffset).putInt(frames).putInt(0).array();
    }

    static Trailer decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      long offset = b.getLong();
      int frames = b.getInt();
      b.getInt();
      byte[] sha = new byte[32];
      b.get(sha);
      return new Trailer(offset, frames, Bytes.wrap(sha));
    }

    static boolean endMagicOk(byte[] trailer) {
      return Arrays.equals(trailer, TRAILER_LENGTH - END_MAGIC.length, TRAILER_LENGTH, END_MAGIC, 0, END_MAGIC.length);
    }
  }

  static boolean magicOk(byte[] header) {
    return Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  static Bytes sha256(byte[] bytes) {
    return Bytes.wrap(sha256().digest(bytes));
  }
}
