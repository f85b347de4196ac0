package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.repo.DocHandle;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loam repo new [--from FILE]}: a new document in the folder; prints its {@code automerge:} URL. */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = {"Create a document in the folder and print its automerge: URL.",
        "With --from, the document starts with the history of an Automerge file (as 'loam doc new' and 'loam doc edit' write)."})
final class RepoNewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--from", paramLabel = "FILE", description = "Start from this Automerge file's history.")
  @Nullable Path from;

  @Override
  public Integer call() {
    byte[] history = from == null ? null : DocFiles.load(from).save();
    String url;
    try (LocalRepo local = LocalRepo.open(data, "loam repo new", LocalRepo.Access.CREATE, Optional.empty())) {
      DocHandle h = history == null ? local.repo().create() : local.repo().importDoc(history);
      url = h.url().toString();
    } // close saves it
    spec.commandLine().getOut().print(url + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
