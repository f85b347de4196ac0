package dev.loam.cli;

import dev.loam.CommitOptions;
import dev.loam.Transaction;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loam repo edit URL OPERATION...}: one change to a document of the folder, with the
 * operations of {@code loam doc edit} (see {@link DocEditCommand}). For a secure document the
 * change is sealed into one signed, encrypted envelope by the identity of {@code --id}, which must
 * hold {@code edit}; otherwise the command exits with status {@value Main#DENIED}.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
    description = {"Apply OPERATIONs in order to a document of the folder as one change, as 'loam doc edit' does to a file.",
        "Example: loam repo edit URL --put /title '\"hello\"'",
        "A secure document (loam-secure: URL) is edited as the identity of --id (or LOAM_ID), which must hold edit;",
        "otherwise the exit status is 3."})
final class RepoEditCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: or loam-secure: URL (or its id).")
  String url;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "OPERATION", description = "As 'loam doc edit --help' lists them.")
  List<String> args = new ArrayList<>();

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Mixin IdOption id;

  @Override
  public Integer call() throws InterruptedException {
    Optional<SecureUrl> secure = SecureUrl.tryParse(url);
    if (secure.isPresent()) {
      editSecure(secure.get());
      return 0;
    }
    DocumentId id = LocalRepo.parseDocument(url);
    DocEditCommand.Script script = DocEditCommand.parse(args);
    try (LocalRepo local = LocalRepo.open(data, "loam repo edit", LocalRepo.Access.CREATE, Optional.empty())) {
      RepoCatCommand.ready(local, id).change(options(script), tx -> apply(script, tx));
    } // close saves the change
    return 0;
  }

  private void editSecure(SecureUrl secureUrl) {
    DocEditCommand.Script script = DocEditCommand.parse(args);
    Identity me = id.load("loam repo edit");
    try (LocalRepo local = LocalRepo.open(data, "loam repo edit", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureRepo repo = SecureDocs.repo(local, me);
      SecureDocument doc = SecureDocs.open(repo, secureUrl);
      SecureDocs.require(doc, me, Level.EDIT, "edit", secureUrl);
      doc.document().transact(options(script), tx -> apply(script, tx));
      repo.save(doc); // seals the change into one envelope and stores it
    }
  }

  private static CommitOptions options(DocEditCommand.Script script) {
    return new CommitOptions(Optional.ofNullable(script.message()), OptionalLong.empty());
  }

  private static void apply(DocEditCommand.Script script, Transaction tx) {
    for (EditOp op : script.ops()) {
      op.apply(tx);
    }
  }
}
