package dev.loam.secure;

import dev.loam.secure.crypto.AuthenticationException;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import dev.loam.secure.crypto.Digests;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.X25519PrivateKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A device identity: the private Ed25519 signing key and X25519 encryption key of one device, whose
 * public form is its {@link MemberId}. Immutable and thread-safe; {@link #toString()} shows only the
 * member id.
 *
 * <p>An identity file is created with mode 0600 (owner only) and never overwritten. It is plain or
 * sealed with a passphrase; integers are big-endian:
 * <pre>
 * offset size  field
 * 0      4     magic "LMID" (4c 4d 49 44)
 * 4      1     version = 1
 * 5      1     kind: 0 = plain, 1 = sealed
 * plain (70 bytes in all):
 * 6      32    Ed25519 private seed (RFC 8032)
 * 38     32    X25519 private scalar (RFC 7748)
 * sealed (118 bytes in all):
 * 6      16    PBKDF2 salt (random)
 * 22     4     PBKDF2 iteration count (600,000 by default; 1 .. 10,000,000 accepted)
 * 26     12    ChaCha20-Poly1305 nonce (random)
 * 38     80    ChaCha20-Poly1305(key, nonce, aad = bytes 0..38, seed | scalar) with its 16-byte tag
 *              key = PBKDF2-HMAC-SHA256(passphrase as UTF-8, salt, iterations, 32 bytes)
 * </pre>
 * Every byte of a sealed file is authenticated: a wrong passphrase or a changed byte fails the
 * same way, and never yields a partial identity.
 */
public final class Identity {
  /** The PBKDF2 iteration count {@link #save} seals with. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** The largest iteration count {@link #load} accepts (a damaged count must not hang it). */
  static final int MAX_ITERATIONS = 10_000_000;

  private static final byte[] MAGIC = {'L', 'M', 'I', 'D'};
  private static final byte VERSION = 1;
  private static final byte PLAIN = 0;
  private static final byte SEALED = 1;
  private static final int KEYS = Ed25519PrivateKey.LENGTH + X25519PrivateKey.LENGTH;
  private static final int HEAD = MAGIC.length + 2;
  private static final int SALT = 16;
  private static final int SEALED_HEAD = HEAD + SALT + 4 + ChaCha20Poly1305.NONCE_LENGTH;
  private static final int SEALED_LENGTH = SEALED_HEAD + KEYS + ChaCha20Poly1305.TAG_LENGTH;
  private static final String DAMAGED = "wrong passphrase or damaged identity file";

  private final Ed25519PrivateKey signingKey;
  private final X25519PrivateKey encryptionKey;
  private final MemberId memberId;

  private Identity(Ed25519PrivateKey signingKey, X25519PrivateKey encryptionKey) {
    this.signingKey = signingKey;
    this.encryptionKey = encryptionKey;
    this.memberId = MemberId.of(signingKey.publicKey(), encryptionKey.publicKey());
  }

  /** A new identity from the system's strong random source. */
  public static Identity generate() {
    return generate(new SecureRandom());
  }

  /** A new identity whose keys come from {@code random}. */
  public static Identity generate(SecureRandom random) {
    return new Identity(Ed25519PrivateKey.generate(random), X25519PrivateKey.generate(random));
  }

  /** The identity of these two private keys. */
  public static Identity of(Ed25519PrivateKey signingKey, X25519PrivateKey encryptionKey) {
    return new Identity(signingKey, encryptionKey);
  }

  /** This device's public form. */
  public MemberId memberId() {
    return memberId;
  }

  /** The private key this device signs with. */
  public Ed25519PrivateKey signingKey() {
    return signingKey;
  }

  /** The private key this device decrypts with. */
  public X25519PrivateKey encryptionKey() {
    return encryptionKey;
  }

  /**
   * Writes this identity to a new file, readable and writable only by its owner (mode 0600 where
   * the file system has POSIX permissions), sealed under {@code passphrase} when one is given (the
   * caller clears the array). Blocks on the file system, including an fsync.
   *
   * @throws IdentityFileException {@code EXISTS} if the file exists (it is left untouched), or
   *     {@code IO} if it cannot be written (nothing is left behind)
   */
  public void save(Path file, Optional<char[]> passphrase) {
    save(file, passphrase, DEFAULT_ITERATIONS);
  }

  /** {@link #save(Path, Optional)} with a chosen PBKDF2 iteration count (tests use a low one). */
  void save(Path file, Optional<char[]> passphrase, int iterations) {
    byte[] bytes = passphrase.isPresent() ? sealed(passphrase.get(), iterations) : plain();
    try {
      create(file);
    } catch (FileAlreadyExistsException e) {
      throw new IdentityFileException(IdentityFileException.Problem.EXISTS,
          file + " already exists; an identity file is never overwritten (choose another name)", e);
    } catch (NoSuchFileException e) {
      throw new IdentityFileException(IdentityFileException.Problem.IO, "cannot create " + file + ": its folder does not exist", e);
    } catch (IOException e) {
      throw new IdentityFileException(IdentityFileException.Problem.IO, "cannot create " + file + ": " + e.getMessage(), e);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new IdentityFileException(IdentityFileException.Problem.IO, "cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void create(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException noPosix) {
      Files.createFile(file);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the write failure is what the caller needs to hear about
    }
  }

  private byte[] secrets() {
    byte[] keys = new byte[KEYS];
    byte[] seed = signingKey.toSeed();
    byte[] scalar = encryptionKey.toBytes();
    System.arraycopy(seed, 0, keys, 0, seed.length);
    System.arraycopy(scalar, 0, keys, seed.length, scalar.length);
    Arrays.fill(seed, (byte) 0);
    Arrays.fill(scalar, (byte) 0);
    return keys;
  }

  private byte[] plain() {
    byte[] keys = secrets();
    ByteBuffer out = ByteBuffer.allocate(HEAD + KEYS).put(MAGIC).put(VERSION).put(PLAIN).put(keys);
    Arrays.fill(keys, (byte) 0);
    return out.array();
  }

  private byte[] sealed(char[] passphrase, int iterations) {
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", not " + iterations);
    }
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[SALT];
    byte[] nonce = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] head = ByteBuffer.allocate(SEALED_HEAD)
        .put(MAGIC).put(VERSION).put(SEALED).put(salt).putInt(iterations).put(nonce).array();
    byte[] key = Digests.pbkdf2HmacSha256(passphrase, salt, iterations, ChaCha20Poly1305.KEY_LENGTH);
    byte[] keys = secrets();
    try {
      byte[] box = ChaCha20Poly1305.seal(key, nonce, head, keys);
      return ByteBuffer.allocate(SEALED_LENGTH).put(head).put(box).array();
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(keys, (byte) 0);
    }
  }

  /**
   * Reads a plain identity file. Blocks on the file system.
   *
   * @throws IdentityFileException if the file is missing, sealed ({@code PASSPHRASE_NEEDED}), not an
   *     identity file, or unreadable
   */
  public static Identity load(Path file) {
    return load(file, Optional::empty);
  }

  /**
   * Reads an identity file; {@code passphrase} is asked only if the file is sealed (the caller
   * clears the array it gives). Blocks on the file system and, for a sealed file, on PBKDF2.
   *
   * @throws IdentityFileException {@code MISSING}, {@code PASSPHRASE_NEEDED} (sealed, and the
   *     supplier gave none), {@code WRONG_PASSPHRASE_OR_DAMAGED}, {@code NOT_AN_IDENTITY_FILE} or
   *     {@code IO}
   */
  public static Identity load(Path file, Supplier<Optional<char[]>> passphrase) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IdentityFileException(IdentityFileException.Problem.MISSING, "no identity file " + file, e);
    } catch (IOException e) {
      throw new IdentityFileException(IdentityFileException.Problem.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return decode(file, bytes, passphrase);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static Identity decode(Path file, byte[] bytes, Supplier<Optional<char[]>> passphrase) {
    if (bytes.length < HEAD || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw notIdentity(file, "it does not start like one");
    }
    if (bytes[MAGIC.length] != VERSION) {
      throw notIdentity(file, "it has version " + (bytes[MAGIC.length] & 0xff) + "; this Loam reads version " + VERSION);
    }
    byte kind = bytes[MAGIC.length + 1];
    if (kind == PLAIN && bytes.length == HEAD + KEYS) {
      return fromSecrets(Arrays.copyOfRange(bytes, HEAD, HEAD + KEYS));
    }
    if (kind != SEALED || bytes.length != SEALED_LENGTH) {
      throw notIdentity(file, "its kind or length is wrong (" + bytes.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, HEAD, SEALED_HEAD - HEAD);
    byte[] salt = new byte[SALT];
    in.get(salt);
    int iterations = in.getInt();
    byte[] nonce = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    in.get(nonce);
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IdentityFileException(IdentityFileException.Problem.WRONG_PASSPHRASE_OR_DAMAGED,
          DAMAGED + " " + file + " (its iteration count " + Integer.toUnsignedString(iterations) + " is out of range)");
    }
    char[] secret = passphrase.get().orElseThrow(() -> new IdentityFileException(IdentityFileException.Problem.PASSPHRASE_NEEDED,
        file + " is sealed with a passphrase; give the passphrase to open it"));
    byte[] key = Digests.pbkdf2HmacSha256(secret, salt, iterations, ChaCha20Poly1305.KEY_LENGTH);
    try {
      return fromSecrets(ChaCha20Poly1305.open(key, nonce, Arrays.copyOf(bytes, SEALED_HEAD),
          Arrays.copyOfRange(bytes, SEALED_HEAD, bytes.length)));
    } catch (AuthenticationException e) {
      throw new IdentityFileException(IdentityFileException.Problem.WRONG_PASSPHRASE_OR_DAMAGED, DAMAGED + " " + file, e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static IdentityFileException notIdentity(Path file, String why) {
    return new IdentityFileException(IdentityFileException.Problem.NOT_AN_IDENTITY_FILE,
        file + " is not a Loam identity file: " + why);
  }

  private static Identity fromSecrets(byte[] keys) {
    try {
      return new Identity(Ed25519PrivateKey.fromSeed(Arrays.copyOf(keys, Ed25519PrivateKey.LENGTH)),
          X25519PrivateKey.fromBytes(Arrays.copyOfRange(keys, Ed25519PrivateKey.LENGTH, KEYS)));
    } finally {
      Arrays.fill(keys, (byte) 0);
    }
  }

  /** Shows the member id only, never a private key. */
  @Override
  public String toString() {
    return "Identity[" + memberId + "]";
  }
}
