package dev.loam.secure;

import dev.loam.LoamException;

/** An identity file that could not be written or read; {@link #problem()} says why. */
public final class IdentityFileException extends LoamException {
  /** What went wrong with the file. */
  public enum Problem {
    /** Saving: the file already exists (an identity file is never overwritten). */
    EXISTS,
    /** Loading: there is no such file. */
    MISSING,
    /** Loading: the file is sealed and no passphrase was given. */
    PASSPHRASE_NEEDED,
    /** Loading: the passphrase is wrong or the sealed file was changed. */
    WRONG_PASSPHRASE_OR_DAMAGED,
    /** Loading: the file is not an identity file, has an unknown version or the wrong length. */
    NOT_AN_IDENTITY_FILE,
    /** The file system failed. */
    IO
  }

  private final Problem problem;

  IdentityFileException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  IdentityFileException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** Why the file could not be written or read. */
  public Problem problem() {
    return problem;
  }
}
