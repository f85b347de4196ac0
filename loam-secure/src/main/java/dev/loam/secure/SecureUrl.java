package dev.loam.secure;

import dev.loam.repo.id.DocumentId;
import java.util.Optional;

/**
 * The URL of a secure document: {@value #PREFIX} followed by its document id (the same base58check
 * text as an {@code automerge:} URL's). The prefix says the document is secure, so that tools never
 * try the plain protocol for it. Immutable.
 */
public record SecureUrl(DocumentId documentId) {
  /** The scheme every secure URL starts with. */
  public static final String PREFIX = "loam-secure:";

  /**
   * Reads a secure URL.
   *
   * @throws IllegalArgumentException if {@code text} is not {@value #PREFIX} and a document id
   */
  public static SecureUrl parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
        "not a secure document URL (" + PREFIX + "...): " + (text.length() > 80 ? text.substring(0, 80) + "..." : text)));
  }

  /** The secure URL in {@code text}, or empty if it is not one. */
  public static Optional<SecureUrl> tryParse(String text) {
    if (!text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    return DocumentId.tryParse(text.substring(PREFIX.length())).map(SecureUrl::new);
  }

  @Override
  public String toString() {
    return PREFIX + documentId;
  }
}
