package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.repo.DocHandle;
import dev.loam.secure.Identity;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loam repo new [--from FILE]}: a new document in the folder; prints its {@code automerge:}
 * URL. With {@code --secure}, a new secure document whose root admin is the identity of
 * {@code --id}; prints its {@code loam-secure:} URL.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = {"Create a document in the folder and print its automerge: URL.",
        "With --from, the document starts with the history of an Automerge file (as 'loam doc new' and 'loam doc edit' write).",
        "With --secure, create a secure document whose root admin is the identity of --id (or LOAM_ID) and print its loam-secure: URL."})
final class RepoNewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--from", paramLabel = "FILE", description = "Start from this Automerge file's history.")
  @Nullable Path from;

  @Option(names = "--secure", description = "A secure document: end-to-end encrypted, members are identities (see docs/security.md).")
  boolean secure;

  @Mixin IdOption id;

  @Override
  public Integer call() {
    String url = secure ? newSecure() : newPlain();
    spec.commandLine().getOut().print(url + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String newPlain() {
    byte[] history = from == null ? null : DocFiles.load(from).save();
    try (LocalRepo local = LocalRepo.open(data, "loam repo new", LocalRepo.Access.CREATE, Optional.empty())) {
      DocHandle h = history == null ? local.repo().create() : local.repo().importDoc(history);
      return h.url().toString();
    } // close saves it
  }

  private String newSecure() {
    if (from != null) {
      // every change of a secure document is bound to its signer (rule 3): a file's changes by other actors cannot be
      throw new CliException("--from cannot start a secure document: its changes must all be written by members; "
          + "create it with --secure, then add content with 'loam repo edit'");
    }
    Identity me = id.load("loam repo new --secure");
    try (LocalRepo local = LocalRepo.open(data, "loam repo new", LocalRepo.Access.CREATE, Optional.empty())) {
      return SecureDocs.repo(local, me).create().url().toString(); // its genesis is stored
    }
  }
}
