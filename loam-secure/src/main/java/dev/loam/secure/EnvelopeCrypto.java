package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.AuthenticationException;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.crypto.Hkdf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link Payload} into an {@link Envelope} and opens one again (rule 6 of
 * docs/security.md). Stateless and thread-safe.
 *
 * <p>Sealing: the payload is deflated (raw), prefixed with its compressed length and padded with
 * zeros to a PADMÉ bucket; the content key is {@code k = HKDF-SHA256(salt = envelope id, ikm = epoch
 * key, info = "loam-envelope-v1", 32)}, unique per envelope, so the nonce is 12 zero bytes; the
 * ciphertext is ChaCha20-Poly1305 under {@code k} with {@link Envelope#aad}; the key commitment
 * {@code HMAC-SHA256(k, "commit")} travels in the signed header.
 *
 * <pre>
 * plaintext = | compressed length (4, big-endian) | raw deflate of the payload | zeros |
 *             total length = PADMÉ(4 + compressed length)
 * </pre>
 *
 * <p>Opening checks, in order, before anything is applied: the key commitment (a wrong key is
 * rejected before decryption, even one under which the tag would happen to verify), the tag, the
 * padding (exact length, zero bytes), the inflated size ({@value #MAX_PAYLOAD} bytes at most: a
 * zip bomb stops there), the payload's encoding, that every declared actor is bound to the
 * envelope's author, and that every change is one uncompressed change chunk whose hash matches its
 * bytes and whose actor is declared. Every failure is an {@link EnvelopeOpenException}.
 */
final class EnvelopeCrypto {
  /** The most bytes a payload may inflate to. */
  static final int MAX_PAYLOAD = 64 << 20;
  private static final byte[] INFO = "loam-envelope-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMIT = "commit".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NONCE = new byte[ChaCha20Poly1305.NONCE_LENGTH];
  private static final int PREFIX = 4;

  private EnvelopeCrypto() {}

  /** A payload opened and checked: the declared actors, the chunks and their heads, in order. */
  record Opened(Payload payload, List<ChangeHeader> headers) {}

  /**
   * Seals {@code payload} under {@code epochKey} into an envelope signed by {@code author}.
   *
   * @throws IllegalArgumentException if the payload is bigger than a reader accepts ({@value #MAX_PAYLOAD}
   *     bytes) or its ciphertext bigger than an envelope holds
   */
  static Envelope seal(DocumentId document, EnvelopeId id, Ed25519PrivateKey author, List<EnvelopeId> parents,
      List<OpId> heads, OpId epoch, byte[] epochKey, Payload payload) {
    byte[] encoded = payload.encode();
    if (encoded.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("changes of " + encoded.length + " bytes are more than an envelope holds ("
          + MAX_PAYLOAD + ")");
    }
    return sealPlaintext(document, id, author, parents, heads, epoch, epochKey, pad(deflate(encoded)));
  }

  /** Seals an already padded plaintext (tests use it to build hostile envelopes). */
  static Envelope sealPlaintext(DocumentId document, EnvelopeId id, Ed25519PrivateKey author, List<EnvelopeId> parents,
      List<OpId> heads, OpId epoch, byte[] epochKey, byte[] plaintext) {
    byte[] k = contentKey(epochKey, id);
    byte[] aad = Envelope.aad(document, id, author.publicKey(), parents, heads, epoch);
    byte[] ciphertext = ChaCha20Poly1305.seal(k, NONCE, aad, plaintext);
    return Envelope.sign(document, id, author, parents, heads, epoch, Bytes.wrap(commitment(k)), Bytes.wrap(ciphertext));
  }

  /**
   * Opens {@code envelope} with its epoch's key and checks its content.
   *
   * @throws EnvelopeOpenException if any check fails
   */
  static Opened open(Envelope envelope, byte[] epochKey) {
    byte[] k = contentKey(epochKey, envelope.id());
    if (!MessageDigest.isEqual(commitment(k), envelope.keyCommit().toByteArray())) {
      throw new EnvelopeOpenException("the key commitment does not match this epoch key");
    }
    byte[] aad = Envelope.aad(envelope.documentId(), envelope.id(), envelope.author(), envelope.parents(),
        envelope.membershipHeads(), envelope.epoch());
    byte[] plaintext;
    try {
      plaintext = ChaCha20Poly1305.open(k, NONCE, aad, envelope.ciphertext().toByteArray());
    } catch (AuthenticationException e) {
      throw new EnvelopeOpenException("the ciphertext does not authenticate", e);
    }
    return read(plaintext, envelope.author());
  }

  /**
   * Reads and checks a decrypted plaintext of an envelope by {@code author}: padding, size,
   * payload, actors bound and declared, change heads.
   *
   * @throws EnvelopeOpenException if any check fails
   */
  static Opened read(byte[] plaintext, Ed25519PublicKey author) {
    Payload payload = Payload.decode(inflate(unpad(plaintext)));
    Set<ActorId> declared = payload.actorSet();
    for (ActorId a : declared) {
      if (!BoundActor.isBound(a, author)) {
        throw new EnvelopeOpenException("a declared actor is not bound to the envelope's author");
      }
    }
    List<ChangeHeader> headers = new ArrayList<>(payload.changes().size());
    for (Bytes chunk : payload.changes()) {
      ChangeHeader h = ChangeHeader.read(chunk.toByteArray());
      if (!declared.contains(h.actor())) {
        throw new EnvelopeOpenException("a change's actor is not declared by the envelope");
      }
      headers.add(h);
    }
    return new Opened(payload, List.copyOf(headers));
  }

  static byte[] contentKey(byte[] epochKey, EnvelopeId id) {
    return Hkdf.derive(id.bytes().toByteArray(), epochKey, INFO, ChaCha20Poly1305.KEY_LENGTH);
  }

  static byte[] commitment(byte[] contentKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(contentKey, "HmacSHA256"));
      return mac.doFinal(COMMIT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
      byte[] buf = new byte[8192];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  /** Prefixes {@code compressed} with its length and pads the whole to its PADMÉ bucket. */
  static byte[] pad(byte[] compressed) {
    byte[] out = new byte[Padme.padded(PREFIX + compressed.length)];
    ByteBuffer.wrap(out).putInt(compressed.length);
    System.arraycopy(compressed, 0, out, PREFIX, compressed.length);
    return out;
  }

  private static byte[] unpad(byte[] plaintext) {
    if (plaintext.length < PREFIX) {
      throw new EnvelopeOpenException("the plaintext is shorter than its length prefix");
    }
    int length = ByteBuffer.wrap(plaintext).getInt();
    if (length < 0 || length > plaintext.length - PREFIX || Padme.padded(PREFIX + length) != plaintext.length) {
      throw new EnvelopeOpenException("the plaintext is not padded to the bucket of its length");
    }
    for (int i = PREFIX + length; i < plaintext.length; i++) {
      if (plaintext[i] != 0) {
        throw new EnvelopeOpenException("non-zero padding");
      }
    }
    return Arrays.copyOfRange(plaintext, PREFIX, PREFIX + length);
  }

  private static byte[] inflate(byte[] compressed) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.length * 4, MAX_PAYLOAD) + 16);
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new EnvelopeOpenException("the compressed payload ends early");
        }
        if (out.size() + n > MAX_PAYLOAD) {
          throw new EnvelopeOpenException("the payload inflates past " + MAX_PAYLOAD + " bytes");
        }
        out.write(buf, 0, n);
      }
      if (inflater.getRemaining() != 0) {
        throw new EnvelopeOpenException("bytes after the compressed payload");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new EnvelopeOpenException("the compressed payload is not valid deflate data", e);
    } finally {
      inflater.end();
    }
  }
}
