package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam doc json FILE [--at HEADS]}: the document as one line of JSON. */
@Command(
    name = "json",
    mixinStandardHelpOptions = true,
    description = {
      "Print the document as one line of JSON.",
      "Text and strings print as strings, counters as their value, int and uint as exact digits,",
      "f64 as JavaScript prints it, timestamps as ISO dates, bytes as base64."
    })
final class DocJsonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--at", paramLabel = "HEADS", description = "Show the document as of these heads: hex hashes separated by commas or newlines.")
  @Nullable String at;

  @Override
  public Integer call() {
    Document doc = DocFiles.load(file);
    String json;
    if (at == null) {
      json = doc.toJson();
    } else {
      json = doc.toJson(parseHeads(doc, at));
    }
    spec.commandLine().getOut().print(json + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }

  static Heads parseHeads(Document doc, String text) {
    Heads heads;
    try {
      heads = Heads.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("--at: " + e.getMessage());
    }
    for (ChangeHash h : heads) {
      if (doc.change(h).isEmpty()) {
        throw new CliException("--at: the document has no change " + h.hex());
      }
    }
    return heads;
  }
}
