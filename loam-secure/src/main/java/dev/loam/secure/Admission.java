package dev.loam.secure;

/**
 * What a {@link SecureLog} did with an item offered to it, and why. Immutable.
 *
 * @param outcome what happened
 * @param reason for {@code REJECTED} and {@code PENDING}, a message naming the rule (no content);
 *     for {@code ACCEPTED}, empty, or why a kept op is void; empty for {@code DUPLICATE}
 */
public record Admission(Outcome outcome, String reason) {
  /** The four things that can happen to an offered item. */
  public enum Outcome {
    /**
     * New and now part of the log: valid by what the log knows now, or (reason not empty, see
     * {@link #keptButInvalid()}) permitted by its own causal past but invalid by the whole log, so
     * it counts for nothing while that lasts.
     */
    ACCEPTED,
    /** The log holds this item already, byte for byte. */
    DUPLICATE,
    /** Its parents (ops or envelopes) or the membership heads it names are not in the log yet: offer it again later. */
    PENDING,
    /** Invalid (forged, unauthorized, revoked, for another document, same id with other bytes): never accepted. */
    REJECTED
  }

  /** Whether the item is now in the log but invalid (void): ACCEPTED with a reason saying why. */
  public boolean keptButInvalid() {
    return outcome == Outcome.ACCEPTED && !reason.isEmpty();
  }
}
