package dev.loam.cli;

import dev.loam.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code loam doc merge OUT IN...}: every change of the inputs, in one document. */
@Command(name = "merge", mixinStandardHelpOptions = true, description = "Merge the documents IN... into OUT (which may be one of them).")
final class DocMergeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OUT")
  Path out;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "IN")
  List<Path> in;

  @Override
  public Integer call() {
    // Load every input before writing, so that OUT may be one of them.
    Document merged = DocFiles.load(in.get(0));
    for (Path p : in.subList(1, in.size())) {
      merged.merge(DocFiles.load(p));
    }
    DocFiles.save(merged, out);
    return 0;
  }
}
