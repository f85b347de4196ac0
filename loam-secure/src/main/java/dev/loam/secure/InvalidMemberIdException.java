package dev.loam.secure;

import dev.loam.LoamException;

/** Text that is not a {@link MemberId}; {@link #problem()} says why. */
public final class InvalidMemberIdException extends LoamException {
  /** What is wrong with the text. */
  public enum Problem {
    /** It does not start with {@value MemberId#PREFIX}. */
    PREFIX,
    /** A character after the prefix is not base58. */
    CHARACTER,
    /** It holds the wrong number of bytes. */
    LENGTH,
    /** Its checksum does not match (a typo or a truncated copy). */
    CHECKSUM,
    /** It is well formed but the key decoders reject a key in it. */
    KEY
  }

  private final Problem problem;

  InvalidMemberIdException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  InvalidMemberIdException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** Why the text is not a member id. */
  public Problem problem() {
    return problem;
  }
}
