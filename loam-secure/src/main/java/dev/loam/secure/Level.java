package dev.loam.secure;

import java.util.Locale;

/**
 * A member's level in a secure document; each level implies the ones below it:
 * {@code RELAY} (fetch and forward ciphertext, never decrypt) &lt; {@code READ} (decrypt) &lt;
 * {@code EDIT} (append content) &lt; {@code ADMIN} (add and remove members). Immutable.
 */
public enum Level {
  RELAY,
  READ,
  EDIT,
  ADMIN;

  /** Whether this level includes {@code other}. */
  public boolean atLeast(Level other) {
    return compareTo(other) >= 0;
  }

  /** The level's name as the CLI and docs write it: {@code relay}, {@code read}, {@code edit}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The level named {@code label} ({@code relay|read|edit|admin}, any case).
   *
   * @throws IllegalArgumentException for any other text
   */
  public static Level parse(String label) {
    for (Level l : values()) {
      if (l.label().equalsIgnoreCase(label)) {
        return l;
      }
    }
    throw new IllegalArgumentException("not a level (relay, read, edit or admin): " + label);
  }
}
