package dev.loam.secure.net;

import dev.loam.LoamException;

/** A {@link SecureSyncClient} operation that did not complete; {@link #problem()} says why. */
public final class SecureSyncException extends LoamException {
  private static final long serialVersionUID = 1L;

  /** Why the operation did not complete. */
  public enum Problem {
    /** The server could not be reached, or the connection ended. */
    CONNECTION,
    /** The server sent nothing in time. */
    TIMEOUT,
    /** The server refused (an {@code error} message: authentication or a request refused). */
    REFUSED,
    /** The server has nothing of the document for this identity: unknown, or not a member (the two look alike). */
    UNAVAILABLE,
    /** The server did not accept some pushed items; the message gives its reasons. */
    REJECTED,
    /** The server broke the protocol (an undecodable message or item, an unexpected answer). */
    PROTOCOL
  }

  private final Problem problem;

  /** An operation that did not complete, for the reason {@code problem} names. */
  public SecureSyncException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  /** As {@link #SecureSyncException(Problem, String)}, caused by {@code cause}. */
  public SecureSyncException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** Why the operation did not complete. */
  public Problem problem() {
    return problem;
  }
}
