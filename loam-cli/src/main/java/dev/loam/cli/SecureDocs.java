package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import java.util.Optional;

/**
 * What the commands on secure documents share: reading their URL, opening one from a repo folder
 * as an identity, checking the identity's level. Stateless.
 */
public final class SecureDocs {
  private SecureDocs() {}

  /** The secure document named by {@code text}; {@code command} works on secure documents only. */
  static SecureUrl url(String text, String command) {
    return SecureUrl.tryParse(text).orElseThrow(() -> new CliException(command + " works on secure documents ("
        + SecureUrl.PREFIX + " URLs; 'loam repo new --secure' makes one), not on " + shorten(text)));
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** The folder's secure documents as {@code me} sees them. */
  public static SecureRepo repo(LocalRepo local, Identity me) {
    return SecureRepo.of(local.repo(), me);
  }

  /**
   * The identity's view of the document at {@code url} in the folder.
   *
   * @throws CliException if the folder does not hold it (the same message as for a plain document)
   */
  public static SecureDocument open(SecureRepo repo, SecureUrl url) {
    return repo.open(url.documentId()).orElseThrow(() -> new CliException("the repo folder has no document " + url));
  }

  /**
   * Checks that {@code me} holds at least {@code needed} in {@code doc}.
   *
   * @throws DeniedException saying what {@code me} may not {@code verb} (no content)
   */
  public static void require(SecureDocument doc, Identity me, Level needed, String verb, SecureUrl url) {
    Optional<Level> level = doc.level();
    if (level.isEmpty() || !level.get().atLeast(needed)) {
      throw denied(doc, me, verb, url);
    }
  }

  /** The refusal of {@code verb} on {@code url} to {@code me}, naming their level. */
  public static DeniedException denied(SecureDocument doc, Identity me, String verb, SecureUrl url) {
    String why = doc.level().map(l -> "its level is " + l.label()).orElse("it is not a member");
    return new DeniedException(me.memberId() + " may not " + verb + " " + url + " (" + why + ")");
  }
}
