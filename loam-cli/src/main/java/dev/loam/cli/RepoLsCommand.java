package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loam repo ls}: the {@code automerge:} URL of every stored document, one a line, sorted. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Print the automerge: URL of every document in the folder.")
final class RepoLsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (LocalRepo local = LocalRepo.open(data, "loam repo ls", LocalRepo.Access.EXISTING, Optional.empty())) {
      for (DocumentId id : local.storedIds()) {
        out.print(id.toUrl() + "\n");
      }
    }
    out.flush();
    return 0;
  }
}
