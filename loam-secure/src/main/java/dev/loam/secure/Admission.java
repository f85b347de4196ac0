package dev.loam.secure;

/**
 * What a {@link SecureLog} did with an item offered to it, and why. Immutable.
 *
 * @param outcome what happened
 * @param reason for {@code REJECTED} and {@code PENDING}, a message naming the rule (no content);
 *     empty otherwise
 */
public record Admission(Outcome outcome, String reason) {
  public enum Outcome {
    /** New, valid by what the log knows now: it is part of the log. */
    ACCEPTED,
    /** The log holds this item already, byte for byte. */
    DUPLICATE,
    /** Its parents (ops or envelopes) or the membership heads it names are not in the log yet: offer it again later. */
    PENDING,
    /** Invalid (forged, unauthorized, revoked, for another document, same id with other bytes): never accepted. */
    REJECTED
  }
}
