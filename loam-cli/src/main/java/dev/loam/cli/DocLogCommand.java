package dev.loam.cli;

import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.internal.json.JsonWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam doc log FILE}: one JSON object per change, in history order. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "Print one JSON object per change: {hash, actor, seq, startOp, time, message, deps}.")
final class DocLogCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Change c : DocFiles.load(file).changes()) {
      out.print(line(c) + "\n");
    }
    out.flush();
    return 0;
  }

  static String line(Change c) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"hash\":\"").append(c.hash().hex());
    sb.append("\",\"actor\":\"").append(c.actor().hex());
    sb.append("\",\"seq\":").append(c.seq());
    sb.append(",\"startOp\":").append(c.startOp());
    sb.append(",\"time\":").append(c.time());
    sb.append(",\"message\":");
    c.message().ifPresentOrElse(m -> JsonWriter.appendString(sb, m), () -> sb.append("null"));
    sb.append(",\"deps\":[");
    List<ChangeHash> deps = c.deps().stream().sorted().toList();
    for (int i = 0; i < deps.size(); i++) {
      sb.append(i == 0 ? "\"" : ",\"").append(deps.get(i).hex()).append('"');
    }
    sb.append("]}");
    return sb.toString();
  }
}
