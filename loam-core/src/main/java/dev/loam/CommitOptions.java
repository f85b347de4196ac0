package dev.loam;

/**
 * The message and time recorded with a change.
 *
 * @param message the commit message, or null for none (an empty message is stored as none)
 * @param time whole seconds since the Unix epoch, or null to take the document's clock; 0 means none
 */
public record CommitOptions(String message, Long time) {
  public static final CommitOptions DEFAULT = new CommitOptions(null, null);

  public static CommitOptions message(String message) {
    return new CommitOptions(message, null);
  }

  public CommitOptions withTime(long seconds) {
    return new CommitOptions(message, seconds);
  }

  public CommitOptions withMessage(String m) {
    return new CommitOptions(m, time);
  }
}
