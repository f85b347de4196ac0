package dev.loam.cli;

import dev.loam.repo.DocHandle;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam repo cat URL}: a stored document as one line of JSON, as {@code loam doc json} prints a file. */
@Command(name = "cat", mixinStandardHelpOptions = true, description = "Print a document of the folder as one line of JSON (as 'loam doc json').")
final class RepoCatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The document's automerge: URL (or its id).")
  String url;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    DocumentId id = LocalRepo.parseDocument(url);
    String json;
    try (LocalRepo local = LocalRepo.open(data, "loam repo cat", LocalRepo.Access.EXISTING, Optional.empty())) {
      json = ready(local, id).toJson();
    }
    spec.commandLine().getOut().print(json + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The handle of {@code id} once loaded; fails clearly if the folder does not have it. */
  static DocHandle ready(LocalRepo local, DocumentId id) throws InterruptedException {
    try {
      return local.repo().find(id).whenReady().get();
    } catch (ExecutionException e) {
      throw new CliException("the repo folder has no document " + id.toUrl());
    }
  }
}
