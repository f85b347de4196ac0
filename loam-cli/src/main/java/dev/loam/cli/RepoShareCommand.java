package dev.loam.cli;

import dev.loam.secure.Identity;
import dev.loam.secure.InvalidMemberIdException;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code loam repo share URL MEMBER-ID --level LEVEL --id FILE}: adds a member to a secure document,
 * or changes their level; the identity of {@code --id} must be an admin (exit status
 * {@value Main#DENIED} otherwise). A {@code read}+ member gets the current read key at once.
 */
@Command(name = "share", mixinStandardHelpOptions = true,
    description = {"Add MEMBER-ID (a member id, as 'loam id show' prints it) to a secure document with a level, or change their level.",
        "Acts as the identity of --id (or LOAM_ID), which must be an admin; exit status 3 otherwise.",
        "Run 'loam sync' afterwards to tell the server."})
final class RepoShareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL", description = "The secure document's loam-secure: URL.")
  String url;

  @Parameters(index = "1", paramLabel = "MEMBER-ID", description = "The member id to share with (loam1...).")
  String member;

  @Option(names = "--level", required = true, paramLabel = "LEVEL", converter = LevelConverter.class,
      description = "relay (fetch and forward ciphertext), read, edit or admin (add and remove members).")
  Level level;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin IdOption id;

  @Override
  public Integer call() {
    SecureUrl secureUrl = SecureDocs.url(url, "loam repo share");
    MemberId target = parseMember(member);
    Identity me = id.load("loam repo share");
    try (LocalRepo local = LocalRepo.open(data, "loam repo share", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureRepo repo = SecureDocs.repo(local, me);
      SecureDocument doc = SecureDocs.open(repo, secureUrl);
      SecureDocs.require(doc, me, Level.ADMIN, "share", secureUrl);
      if (!doc.level().orElseThrow().atLeast(level)) {
        throw SecureDocs.denied(doc, me, "grant " + level.label() + " in", secureUrl);
      }
      doc.share(target, level);
      repo.save(doc);
    }
    return 0;
  }

  /** A member id from the command line; a malformed one fails with the reason. */
  static MemberId parseMember(String text) {
    try {
      return MemberId.parse(text);
    } catch (InvalidMemberIdException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** Reads {@code relay|read|edit|admin}; anything else is a usage error. */
  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      try {
        return Level.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
