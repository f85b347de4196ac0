package dev.loam;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The message and time recorded with a change. Immutable; safe to share between threads.
 *
 * @param message the commit message, or empty for none (an empty string is stored as none)
 * @param time whole seconds since the Unix epoch, or empty to take the document's clock; 0 means none
 */
public record CommitOptions(Optional<String> message, OptionalLong time) {
  /** No message, the document's clock. */
  public static final CommitOptions DEFAULT = new CommitOptions(Optional.empty(), OptionalLong.empty());

  /** Automerge stores an empty message as none: normalise it here so equal options compare equal. */
  public CommitOptions {
    message = message.filter(m -> !m.isEmpty());
  }

  /** Options with {@code message} and the document's clock. */
  public static CommitOptions message(String message) {
    return DEFAULT.withMessage(message);
  }

  /** These options with the time set to {@code seconds} since the Unix epoch (0 records no time). */
  public CommitOptions withTime(long seconds) {
    return new CommitOptions(message, OptionalLong.of(seconds));
  }

  /** These options with {@code m} as the message (an empty string means none). */
  public CommitOptions withMessage(String m) {
    return new CommitOptions(Optional.of(m), time);
  }
}
