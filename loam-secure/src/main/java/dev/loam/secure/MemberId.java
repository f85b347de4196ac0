package dev.loam.secure;

import dev.loam.repo.internal.Base58;
import dev.loam.secure.crypto.CryptoException;
import dev.loam.secure.crypto.Digests;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.crypto.X25519PublicKey;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A member id: the public form of a device {@link Identity} (its Ed25519 signing key and X25519
 * encryption key) as text a person can paste into a chat or pass as a command-line argument. It
 * always starts with {@value #PREFIX}, so never with {@code -}. Immutable and thread-safe.
 *
 * <pre>
 * "loam1" base58( signing key (32) | encryption key (32) | checksum (4) )
 *                 checksum = SHA-256(signing key | encryption key)[0..4]
 * </pre>
 *
 * <p>Two member ids are equal when their text is; {@link #toString()} is the text.
 */
public final class MemberId {
  /** The text every member id starts with. */
  public static final String PREFIX = "loam1";

  private static final int KEYS = Ed25519PublicKey.LENGTH + X25519PublicKey.LENGTH;
  private static final int CHECKSUM = 4;

  private final Ed25519PublicKey signingKey;
  private final X25519PublicKey encryptionKey;
  /** The text, made on first use (base58 of 68 bytes is the dearest part of decoding an op); a benign race. */
  private @Nullable String text;

  private MemberId(Ed25519PublicKey signingKey, X25519PublicKey encryptionKey, @Nullable String text) {
    this.signingKey = signingKey;
    this.encryptionKey = encryptionKey;
    this.text = text;
  }

  /** The member id of these two public keys. */
  public static MemberId of(Ed25519PublicKey signingKey, X25519PublicKey encryptionKey) {
    return new MemberId(signingKey, encryptionKey, null);
  }

  private static String textOf(Ed25519PublicKey signingKey, X25519PublicKey encryptionKey) {
    byte[] whole = new byte[KEYS + CHECKSUM];
    System.arraycopy(signingKey.toBytes(), 0, whole, 0, Ed25519PublicKey.LENGTH);
    System.arraycopy(encryptionKey.toBytes(), 0, whole, Ed25519PublicKey.LENGTH, X25519PublicKey.LENGTH);
    System.arraycopy(checksum(whole), 0, whole, KEYS, CHECKSUM);
    return PREFIX + Base58.encode(whole);
  }

  /**
   * Reads a member id from its text (exactly as {@link #toString()} gives it, no spaces).
   *
   * @throws InvalidMemberIdException if the prefix, a character, the length, the checksum or a key
   *     is wrong; the message says which
   */
  public static MemberId parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new InvalidMemberIdException(InvalidMemberIdException.Problem.PREFIX,
          "a member id starts with '" + PREFIX + "': " + shorten(text));
    }
    String body = text.substring(PREFIX.length());
    int bad = Base58.firstInvalid(body);
    if (bad >= 0) {
      throw new InvalidMemberIdException(InvalidMemberIdException.Problem.CHARACTER,
          "a member id has no character '" + body.charAt(bad) + "' (position "
              + (PREFIX.length() + bad + 1) + "): " + shorten(text));
    }
    byte[] whole = Objects.requireNonNull(Base58.decode(body)); // every character is a digit
    if (whole.length != KEYS + CHECKSUM) {
      throw new InvalidMemberIdException(InvalidMemberIdException.Problem.LENGTH,
          "a member id holds " + (KEYS + CHECKSUM) + " bytes, not " + whole.length + " (is it cut short?): " + shorten(text));
    }
    if (!MessageDigest.isEqual(checksum(whole), Arrays.copyOfRange(whole, KEYS, KEYS + CHECKSUM))) {
      throw new InvalidMemberIdException(InvalidMemberIdException.Problem.CHECKSUM,
          "the member id's checksum does not match (a typo?): " + shorten(text));
    }
    try {
      Ed25519PublicKey signing = Ed25519PublicKey.fromBytes(Arrays.copyOfRange(whole, 0, Ed25519PublicKey.LENGTH));
      X25519PublicKey encryption = X25519PublicKey.fromBytes(Arrays.copyOfRange(whole, Ed25519PublicKey.LENGTH, KEYS));
      return new MemberId(signing, encryption, text);
    } catch (CryptoException e) {
      throw new InvalidMemberIdException(InvalidMemberIdException.Problem.KEY,
          "the member id does not hold valid public keys: " + shorten(text), e);
    }
  }

  private static byte[] checksum(byte[] whole) {
    return Arrays.copyOf(Digests.sha256(Arrays.copyOf(whole, KEYS)), CHECKSUM);
  }

  private static String shorten(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "...";
  }

  /** The key that verifies this member's signatures. */
  public Ed25519PublicKey signingKey() {
    return signingKey;
  }

  /** The key others encrypt to this member with. */
  public X25519PublicKey encryptionKey() {
    return encryptionKey;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    // the text is a function of the two keys, so equal keys are equal texts
    return other instanceof MemberId m && m.signingKey.equals(signingKey) && m.encryptionKey.equals(encryptionKey);
  }

  @Override
  public int hashCode() {
    return 31 * signingKey.hashCode() + encryptionKey.hashCode();
  }

  /** The member id's text. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = textOf(signingKey, encryptionKey);
      text = t;
    }
    return t;
  }
}
