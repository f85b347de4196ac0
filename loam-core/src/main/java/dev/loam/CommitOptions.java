package dev.loam;

import org.jspecify.annotations.Nullable;

/**
 * The message and time recorded with a change.
 *
 * @param message the commit message, or null for none (an empty message is stored as none)
 * @param time whole seconds since the Unix epoch, or null to take the document's clock; 0 means none
 */
public record CommitOptions(@Nullable String message, @Nullable Long time) {
  public static final CommitOptions DEFAULT = new CommitOptions(null, null);

  public static CommitOptions message(@Nullable String message) {
    return new CommitOptions(message, null);
  }

  public CommitOptions withTime(long seconds) {
    return new CommitOptions(message, seconds);
  }

  public CommitOptions withMessage(@Nullable String m) {
    return new CommitOptions(m, time);
  }
}
