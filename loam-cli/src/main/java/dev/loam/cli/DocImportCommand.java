package dev.loam.cli;

import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code loam doc import JSON OUT}: a new document holding a JSON object, in one change. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Write a new document holding the JSON object in file JSON, as one change.",
      "Strings become text; integral numbers that fit 64 bits become ints, other numbers f64."
    })
final class DocImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JSON")
  Path json;

  @Parameters(index = "1", paramLabel = "OUT")
  Path out;

  @Mixin WriteOptions write;

  @Override
  public Integer call() {
    long time = write.seconds();
    Document doc = Document.create(write.actor());
    JsonNode root = JsonValues.parseFile(json);
    if (!root.isObject()) {
      throw new CliException(json + ": a document is a JSON object, not " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    doc.transact(CommitOptions.DEFAULT.withTime(time), tx -> {
      for (Map.Entry<String, JsonNode> e : JsonValues.jsPropertyOrder(root)) {
        JsonValues.write(tx, JsonValues.Slot.key(ObjId.ROOT, e.getKey()), e.getValue());
      }
    });
    DocFiles.save(doc, out);
    return 0;
  }
}
