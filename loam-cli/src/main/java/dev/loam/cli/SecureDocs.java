package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureUrl;
import java.util.List;
import java.util.Optional;

/**
 * What the commands on secure documents share: reading their URL, opening one from a repo folder
 * as an identity, checking the identity's level, storing the items a command made. Stateless.
 */
final class SecureDocs {
  private SecureDocs() {}

  /** The secure document named by {@code text}; {@code command} works on secure documents only. */
  static SecureUrl url(String text, String command) {
    return SecureUrl.tryParse(text).orElseThrow(() -> new CliException(command + " works on secure documents ("
        + SecureUrl.PREFIX + " URLs; 'loam repo new --secure' makes one), not on " + shorten(text)));
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /**
   * {@code me}'s view of the document at {@code url} in the folder.
   *
   * @throws CliException if the folder does not hold it (the same message as for a plain document)
   */
  static SecureDocument open(LocalRepo local, Identity me, SecureUrl url) {
    List<SecureItem> items = local.secure().load(url.documentId());
    if (items.isEmpty()) {
      throw new CliException("the repo folder has no document " + url);
    }
    return SecureDocument.open(me, url.documentId(), items);
  }

  /** Stores the items a command made, durably, in order. */
  static void store(LocalRepo local, List<SecureItem> items) {
    for (SecureItem item : items) {
      local.secure().append(item);
    }
  }

  /**
   * Checks that {@code me} holds at least {@code needed} in {@code doc}.
   *
   * @throws DeniedException saying what {@code me} may not {@code verb} (no content)
   */
  static void require(SecureDocument doc, Identity me, Level needed, String verb, SecureUrl url) {
    Optional<Level> level = doc.level();
    if (level.isEmpty() || !level.get().atLeast(needed)) {
      throw denied(doc, me, verb, url);
    }
  }

  /** The refusal of {@code verb} on {@code url} to {@code me}, naming their level. */
  static DeniedException denied(SecureDocument doc, Identity me, String verb, SecureUrl url) {
    String why = doc.level().map(l -> "its level is " + l.label()).orElse("it is not a member");
    return new DeniedException(me.memberId() + " may not " + verb + " " + url + " (" + why + ")");
  }
}
