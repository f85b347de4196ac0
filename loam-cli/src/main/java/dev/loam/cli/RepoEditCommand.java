package dev.loam.cli;

import dev.loam.CommitOptions;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loam repo edit URL OPERATION...}: one change to a document of the folder, with the
 * operations of {@code loam doc edit} (see {@link DocEditCommand}).
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
    description = {"Apply OPERATIONs in order to a document of the folder as one change, as 'loam doc edit' does to a file.",
        "Example: loam repo edit URL --put /title '\"hello\"'"})
final class RepoEditCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: URL (or its id).")
  String url;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "OPERATION", description = "As 'loam doc edit --help' lists them.")
  List<String> args = new ArrayList<>();

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    DocumentId id = LocalRepo.parseDocument(url);
    DocEditCommand.Script script = DocEditCommand.parse(args);
    try (LocalRepo local = LocalRepo.open(data, "loam repo edit", LocalRepo.Access.CREATE, Optional.empty())) {
      RepoCatCommand.ready(local, id).change(new CommitOptions(Optional.ofNullable(script.message()), OptionalLong.empty()), tx -> {
        for (EditOp op : script.ops()) {
          op.apply(tx);
        }
      });
    } // close saves the change
    return 0;
  }
}
