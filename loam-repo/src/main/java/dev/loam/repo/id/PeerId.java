package dev.loam.repo.id;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The name a peer gives itself on the network: any non-empty string. automerge-repo defaults to
 * {@code "peer-" + random base36}; its sync server uses {@code "storage-server-<hostname>"}.
 * Immutable and thread-safe.
 */
public record PeerId(String value) {
  private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();

  public PeerId {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a peer id is never empty");
    }
  }

  /** The peer id {@code value} (not empty). */
  public static PeerId of(String value) {
    return new PeerId(value);
  }

  /** A fresh id in automerge-repo's style, {@code peer-} and eleven base-36 digits. */
  public static PeerId random() {
    return random(DEFAULT_RANDOM);
  }

  /** As {@link #random()}, drawing from {@code random}. */
  public static PeerId random(RandomGenerator random) {
    StringBuilder sb = new StringBuilder("peer-");
    for (int i = 0; i < 11; i++) {
      sb.append(Character.forDigit(random.nextInt(36), 36));
    }
    return new PeerId(sb.toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
