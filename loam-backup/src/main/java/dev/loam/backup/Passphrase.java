package dev.loam.backup;

import java.util.Arrays;

/**
 * The secret that encrypts or opens an archive: a non-empty string of characters, kept as a
 * {@code char[]} copy that {@link #clear} overwrites. Thread-safe until cleared.
 */
public final class Passphrase {
  private final char[] chars;

  private Passphrase(char[] chars) {
    if (chars.length == 0) {
      throw new IllegalArgumentException("a passphrase is not empty");
    }
    this.chars = chars.clone();
  }

  /** A passphrase of {@code chars} (copied; the caller may clear its array). */
  public static Passphrase of(char[] chars) {
    return new Passphrase(chars);
  }

  /** A passphrase of {@code text}. */
  public static Passphrase of(String text) {
    return new Passphrase(text.toCharArray());
  }

  /** A copy of the characters. */
  char[] chars() {
    return chars.clone();
  }

  /** Overwrites the characters; the passphrase is unusable afterwards. */
  public void clear() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "Passphrase[***]";
  }
}
