package dev.loam.secure.net;

import dev.loam.LoamException;

/**
 * A frame that is not a message of the secure wire protocol ({@link SecureMessage}); {@link #problem()}
 * says what is wrong, the message says where. Never carries the frame's bytes.
 */
public final class SecureProtocolException extends LoamException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the frame. */
  public enum Problem {
    /** Larger than {@link SecureMessage#MAX_FRAME_BYTES}, or a list over its count limit. */
    TOO_LARGE,
    /** Not one CBOR map. */
    NOT_A_MAP,
    /** A {@code type} this protocol version does not have. */
    UNKNOWN_TYPE,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong kind of value, length or range. */
    BAD_FIELD
  }

  private final Problem problem;

  /** A message that breaks the protocol in the way {@code problem} names. */
  public SecureProtocolException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  /** As {@link #SecureProtocolException(Problem, String)}, caused by {@code cause}. */
  public SecureProtocolException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** What is wrong with the frame. */
  public Problem problem() {
    return problem;
  }
}
