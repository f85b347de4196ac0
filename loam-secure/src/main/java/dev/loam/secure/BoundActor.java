package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.secure.crypto.Digests;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Actor ids bound to a signing key (rule 3 of docs/security.md): the 32 bytes {@code r ||
 * SHA-256("loam-actor-v1" || author signing key || r)[0..16]} for 16 random bytes {@code r}. Anyone
 * can check the binding from the actor id and the key alone, so one actor can never be bound to
 * two signers, and one identity writing from two folders takes two fresh actors. Stateless and
 * thread-safe.
 */
public final class BoundActor {
  /** The length of a bound actor id in bytes. */
  public static final int LENGTH = 32;
  private static final int HALF = 16;
  private static final byte[] DOMAIN = "loam-actor-v1".getBytes(StandardCharsets.US_ASCII);

  private BoundActor() {}

  /** A fresh random actor id bound to {@code author}. */
  public static ActorId fresh(Ed25519PublicKey author, SecureRandom random) {
    byte[] r = new byte[HALF];
    random.nextBytes(r);
    byte[] actor = Arrays.copyOf(r, LENGTH);
    System.arraycopy(tag(author, r), 0, actor, HALF, HALF);
    return ActorId.of(actor);
  }

  /** Whether {@code actor} is an actor id bound to {@code author}. */
  public static boolean isBound(ActorId actor, Ed25519PublicKey author) {
    if (actor.length() != LENGTH) {
      return false;
    }
    byte[] a = actor.toByteArray();
    byte[] expected = tag(author, Arrays.copyOf(a, HALF));
    return MessageDigest.isEqual(Arrays.copyOfRange(expected, 0, HALF), Arrays.copyOfRange(a, HALF, LENGTH));
  }

  private static byte[] tag(Ed25519PublicKey author, byte[] r) {
    byte[] key = author.toBytes();
    byte[] input = new byte[DOMAIN.length + key.length + r.length];
    System.arraycopy(DOMAIN, 0, input, 0, DOMAIN.length);
    System.arraycopy(key, 0, input, DOMAIN.length, key.length);
    System.arraycopy(r, 0, input, DOMAIN.length + key.length, r.length);
    return Digests.sha256(input);
  }
}
