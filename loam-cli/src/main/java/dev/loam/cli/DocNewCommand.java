package dev.loam.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code loam doc new OUT}: writes the empty document. */
@Command(name = "new", mixinStandardHelpOptions = true, description = "Write an empty document to OUT.")
final class DocNewCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT", description = "The file to write.")
  Path out;

  @Mixin WriteOptions write;

  @Override
  public Integer call() {
    // An empty document has no change, so neither actor nor time is stored; they are still checked.
    write.validate();
    DocFiles.writeAtomically(out, DocFiles.EMPTY_DOCUMENT);
    return 0;
  }
}
