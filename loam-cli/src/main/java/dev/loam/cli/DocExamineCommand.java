package dev.loam.cli;

import dev.loam.DecodeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code loam doc examine FILE}: every chunk of a file, its columns and its decoded rows, for
 * debugging (like automerge-cli's {@code examine}).
 */
@Command(
    name = "examine",
    mixinStandardHelpOptions = true,
    description = {
      "Show every chunk of FILE for debugging: offset, type, length, checksum and hash; for a change "
          + "its metadata (actor, seq, startOp, time, message, deps, other actors); for a document its "
          + "actors and heads; the columns (spec, id, type, deflated, bytes) and the decoded rows.",
      "In text, actors are shown by their index in the chunk's actor table (5@1: counter 5 of actor 1)."
    })
final class DocExamineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Show at most N rows per table (0: all). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new CliException("--limit must not be negative, not " + limit);
    }
    byte[] bytes = DocFiles.read(file);
    ExamineReport report;
    try {
      report = ExamineReport.of(bytes, limit);
    } catch (DecodeException e) {
      throw new CliException(file + " is not a valid Automerge file: " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? json(report) : text(report));
    out.flush();
    return 0;
  }

  private String json(ExamineReport report) {
    ObjectNode root = ExamineReport.JSON.createObjectNode();
    root.put("file", file.toString());
    root.put("length", report.length);
    var chunks = root.putArray("chunks");
    for (ExamineReport.ChunkSection c : report.chunks) {
      ObjectNode o = c.json().deepCopy();
      for (ExamineReport.Table t : c.tables()) {
        ObjectNode table = o.putObject(camelCase(t.name()));
        table.put("total", t.total());
        table.set("rows", t.json());
      }
      chunks.add(o);
    }
    return ExamineReport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private String text(ExamineReport report) {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ").append(report.length).append(report.length == 1 ? " byte, " : " bytes, ")
        .append(report.chunks.size()).append(report.chunks.size() == 1 ? " chunk" : " chunks").append('\n');
    for (ExamineReport.ChunkSection c : report.chunks) {
      sb.append('\n').append(c.summary()).append('\n');
      for (String line : c.lines()) {
        sb.append("  ").append(line).append('\n');
      }
      for (ExamineReport.Table t : c.tables()) {
        sb.append("  ").append(t.name()).append(": ").append(t.total()).append('\n');
        if (t.total() > 0) {
          table(sb, t);
        }
      }
    }
    return sb.toString();
  }

  /** Rows aligned in columns: counts and indexes right, text and values left; then "… N more" if rows were left out. */
  private static void table(StringBuilder sb, ExamineReport.Table t) {
    List<String> headers = t.headers();
    int[] width = new int[headers.size()];
    boolean[] numeric = new boolean[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      // Values are of mixed types: always left-aligned, like the other text columns.
      numeric[i] = !headers.get(i).equals("value");
    }
    for (String[] row : t.text()) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
        numeric[i] &= row[i].matches("-?[0-9]+");
      }
    }
    if (headers.size() > 1) {
      line(sb, headers.toArray(String[]::new), width, numeric);
    }
    for (String[] row : t.text()) {
      line(sb, row, width, numeric);
    }
    int more = t.total() - t.text().size();
    if (more > 0) {
      sb.append("    … ").append(more).append(" more\n");
    }
  }

  private static void line(StringBuilder sb, String[] cells, int[] width, boolean[] numeric) {
    StringBuilder line = new StringBuilder("   ");
    for (int i = 0; i < cells.length; i++) {
      line.append(' ');
      String pad = " ".repeat(width[i] - cells[i].length());
      line.append(numeric[i] ? pad + cells[i] : cells[i] + pad);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  private static String camelCase(String name) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char ch : name.toCharArray()) {
      if (ch == ' ') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(ch) : ch);
        up = false;
      }
    }
    return sb.toString();
  }
}
