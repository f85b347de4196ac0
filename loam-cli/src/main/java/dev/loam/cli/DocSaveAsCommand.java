package dev.loam.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code loam doc save-as FILE OUT}: the file compacted into one document chunk, plus any changes
 * still waiting for dependencies as trailing change chunks, exactly as Automerge's {@code save()}.
 */
@Command(
    name = "save-as",
    mixinStandardHelpOptions = true,
    description = {
      "Compact FILE (any sequence of document and change chunks) into OUT: one document chunk, "
          + "then any changes still waiting for dependencies, as Automerge's save() writes it.",
      "Unlike the other commands, accepts changes whose dependencies are missing, and keeps them. "
          + "OUT is replaced atomically and may be FILE itself."
    })
final class DocSaveAsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Parameters(index = "1", paramLabel = "OUT")
  Path out;

  @Override
  public Integer call() {
    DocFiles.save(DocFiles.loadKeepingOrphans(file), out);
    return 0;
  }
}
