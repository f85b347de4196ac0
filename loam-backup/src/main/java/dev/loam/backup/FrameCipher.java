package dev.loam.backup;

import dev.loam.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts an archive's frames, or passes them through for a plain archive. Used by
 * one thread.
 *
 * <p>Keys: {@code master = PBKDF2-HMAC-SHA256(passphrase as UTF-8, salt, iterations, 256 bits)},
 * {@code key = HMAC-SHA256(master, "loam-backup v1 frame key")}, and the header's key check
 * {@code HMAC-SHA256(master, "loam-backup v1 key check")}, which tells a wrong passphrase from a
 * damaged file without decrypting anything. Frame {@code i} (entries from 0, then the manifest) is
 * AES-256-GCM with the 12-byte nonce {@code 0x00000000 ‖ u64 i} and the associated data
 * {@code header(64) ‖ u8 type ‖ u64 i}: the salt is random per archive, so the key is too and a
 * counter nonce never repeats under it, and a frame moved, retyped or put into another archive
 * fails its tag.
 */
final class FrameCipher {
  static final int TAG_BYTES = 16;
  private static final byte[] FRAME_KEY_LABEL = "loam-backup v1 frame key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECK_LABEL = "loam-backup v1 key check".getBytes(StandardCharsets.US_ASCII);

  private final Optional<SecretKeySpec> key;
  private final byte[] header;

  private FrameCipher(Optional<SecretKeySpec> key, byte[] header) {
    this.key = key;
    this.header = header;
  }

  /** A cipher that passes frames through, for a plain archive. */
  static FrameCipher plain(byte[] header) {
    return new FrameCipher(Optional.empty(), header.clone());
  }

  /** The derived keys for {@code passphrase}: the frame key and the key check. */
  record Keys(SecretKeySpec frameKey, Bytes check) {}

  /** Derives the keys (PBKDF2: blocks about a second at 600,000 iterations). */
  static Keys derive(Passphrase passphrase, Bytes salt, int iterations) {
    char[] chars = passphrase.chars();
    PBEKeySpec spec = new PBEKeySpec(chars, salt.toByteArray(), iterations, 256);
    try {
      byte[] master = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      byte[] frameKey = mac.doFinal(FRAME_KEY_LABEL);
      byte[] check = mac.doFinal(CHECK_LABEL);
      Arrays.fill(master, (byte) 0);
      return new Keys(new SecretKeySpec(frameKey, "AES"), Bytes.wrap(check));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has PBKDF2WithHmacSHA256 and HmacSHA256", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  /** A new random salt. */
  static Bytes newSalt(SecureRandom random) {
    byte[] salt = new byte[ArchiveFormat.SALT_LENGTH];
    random.nextBytes(salt);
    return Bytes.wrap(salt);
  }

  /** True if {@code keys} are the ones whose check the header holds (constant time). */
  static boolean checks(Keys keys, Bytes headerCheck) {
    return MessageDigest.isEqual(keys.check().toByteArray(), headerCheck.toByteArray());
  }

  /** A cipher with {@code keys} for the archive with {@code header} (its encoded 64 bytes). */
  static FrameCipher encrypted(Keys keys, byte[] header) {
    return new FrameCipher(Optional.of(keys.frameKey()), header.clone());
  }

  /** How many bytes frame payloads grow by. */
  int overhead() {
    return key.isPresent() ? TAG_BYTES : 0;
  }

  /** The stored payload of frame {@code index} of {@code type} for {@code plain}. */
  byte[] seal(byte type, long index, byte[] plain) {
    if (key.isEmpty()) {
      return plain;
    }
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, type, index);
      return c.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to encrypt", e);
    }
  }

  /** The plain payload of frame {@code index} of {@code type}, or empty if its tag fails. */
  Optional<byte[]> open(byte type, long index, byte[] stored) {
    if (key.isEmpty()) {
      return Optional.of(stored);
    }
    if (stored.length < TAG_BYTES) {
      return Optional.empty();
    }
    try {
      return Optional.of(cipher(Cipher.DECRYPT_MODE, type, index).doFinal(stored));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to decrypt", e);
    }
  }

  private Cipher cipher(int mode, byte type, long index) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
    c.init(mode, key.orElseThrow(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
    c.updateAAD(header);
    c.updateAAD(ByteBuffer.allocate(9).put(type).putLong(index).array());
    return c;
  }
}
