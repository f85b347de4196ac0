package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam repo rm URL}: removes a document (its chunks and sync states) from the folder. */
@Command(name = "rm", mixinStandardHelpOptions = true,
    description = {"Remove a document from the folder. Peers are not told: a server that has it keeps it."})
final class RepoRmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: URL (or its id).")
  String url;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() {
    DocumentId id = LocalRepo.parseDocument(url);
    try (LocalRepo local = LocalRepo.open(data, "loam repo rm", LocalRepo.Access.EXISTING, Optional.empty())) {
      if (!local.storedIds().contains(id)) {
        throw new CliException("the repo folder has no document " + id.toUrl());
      }
      local.repo().delete(id);
    }
    return 0;
  }
}
