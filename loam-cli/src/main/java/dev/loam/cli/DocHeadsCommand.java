package dev.loam.cli;

import dev.loam.ChangeHash;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam doc heads FILE}: the heads, lowercase hex, one per line, sorted. */
@Command(name = "heads", mixinStandardHelpOptions = true, description = "Print the document's heads, one hex hash per line, sorted.")
final class DocHeadsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // Heads are sorted by bytes, which is the order of their lowercase hex.
    for (ChangeHash h : DocFiles.load(file).heads()) {
      out.print(h.hex() + "\n");
    }
    out.flush();
    return 0;
  }
}
