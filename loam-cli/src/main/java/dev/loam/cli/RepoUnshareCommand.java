package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loam repo unshare URL MEMBER-ID --id FILE}: removes a member of a secure document and
 * rotates the read key, so content written from now on is unreadable to them; the identity of
 * {@code --id} must be an admin (exit status {@value Main#DENIED} otherwise).
 */
@Command(name = "unshare", mixinStandardHelpOptions = true,
    description = {"Remove MEMBER-ID from a secure document and rotate its read key: what is written from now on is unreadable to them.",
        "What they could read before stays readable to them. Acts as the identity of --id (or LOAM_ID), which must be an admin;",
        "exit status 3 otherwise. Run 'loam sync' afterwards to tell the server."})
final class RepoUnshareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL", description = "The secure document's loam-secure: URL.")
  String url;

  @Parameters(index = "1", paramLabel = "MEMBER-ID", description = "The member id to remove (loam1...).")
  String member;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin IdOption id;

  @Override
  public Integer call() {
    SecureUrl secureUrl = SecureDocs.url(url, "loam repo unshare");
    MemberId target = RepoShareCommand.parseMember(member);
    Identity me = id.load("loam repo unshare");
    try (LocalRepo local = LocalRepo.open(data, "loam repo unshare", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureRepo repo = SecureDocs.repo(local, me);
      SecureDocument doc = SecureDocs.open(repo, secureUrl);
      SecureDocs.require(doc, me, Level.ADMIN, "unshare", secureUrl);
      if (!doc.members().containsKey(target)) {
        throw new CliException(target + " is not a member of " + secureUrl);
      }
      try {
        doc.unshare(target);
      } catch (IllegalArgumentException e) { // the root admin
        throw new CliException(Main.oneLine(e.getMessage()), e);
      }
      repo.save(doc);
    }
    return 0;
  }
}
