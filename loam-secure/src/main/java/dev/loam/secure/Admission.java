package dev.loam.secure;

/**
 * What a {@link SecureLog} did with an item offered to it, and why. Immutable.
 *
 * @param outcome what happened
 * @param reason for {@code REJECTED} and {@code PENDING}, a message naming the rule (no content);
 *     for {@code ACCEPTED}, empty, or why a kept op is void; empty for {@code DUPLICATE}
 */
public record Admission(Outcome outcome, String reason) {
  public enum Outcome {
    /**
     * New and now part of the log. An envelope is valid by what the log knows now; a membership op
     * is permitted by its causal past, and void (the reason says so, and it grants nothing) when a
     * removal of its issuer is concurrent with it.
     */
    ACCEPTED,
    /** The log holds this item already, byte for byte. */
    DUPLICATE,
    /** Its parents (ops or envelopes) or the membership heads it names are not in the log yet: offer it again later. */
    PENDING,
    /** Invalid (forged, unauthorized, revoked, for another document, same id with other bytes): never accepted. */
    REJECTED
  }
}
