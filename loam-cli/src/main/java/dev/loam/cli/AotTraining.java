package dev.loam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training workload of the launcher's AOT cache: runs the common commands once, in one
 * process, on documents and a repo folder it creates in a temporary folder and deletes.
 *
 * <p>{@code scripts/aot-cache.sh} runs it with {@code -XX:AOTMode=record} through {@code ./loam}'s
 * class path; the classes it loads and links (picocli's model of every command, the document
 * codec, the repo store) land in the cache, so that a later {@code ./loam} command starts with
 * them. It prints nothing and fails (exit 1, one line on stderr) when a command fails, so that a
 * broken build does not produce a cache silently. Not thread-safe; run it as a program.
 */
final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("loam-aot-training");
    try {
      train(dir);
    } finally {
      deleteTree(dir);
    }
    System.exit(0);
  }

  private static void train(Path dir) {
    String a = dir.resolve("a.automerge").toString();
    String b = dir.resolve("b.automerge").toString();
    String c = dir.resolve("c.automerge").toString();
    String data = dir.resolve("repo").toString();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      text.append("line ").append(i).append(" of the training text\n");
    }
    run("doc", "new", a, "--time", "0");
    run("doc", "edit", a, "--time", "0", "--put", "/title", "\"training\"", "--put", "/items", "[1, 2.5, true, null]",
        "--put", "/text", quoted(text.toString()), "--put", "/n", "0", "--as", "counter");
    for (int i = 0; i < 20; i++) {
      run("doc", "edit", a, "--time", "0", "--splice", "/text", Integer.toString(i * 7), "1", "é",
          "--increment", "/n", "1", "--insert", "/items/-", Integer.toString(i));
    }
    run("doc", "save-as", a, b);
    run("doc", "edit", b, "--put", "/other", "{\"k\": \"v\"}", "--mark", "/text", "0", "4", "bold", "true");
    run("doc", "merge", c, a, b);
    for (String f : new String[] {a, b, c}) {
      run("doc", "json", f);
      run("doc", "heads", f);
      run("doc", "log", f);
    }
    run("doc", "examine", c, "--json", "--limit", "5");
    run("doc", "sync", a, b);
    run("repo", "new", "--data", data);
    run("repo", "ls", "--data", data);
    run("doc", "--help");
    run("repo", "--help");
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static void run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    if (code != 0) {
      System.err.println("loam AOT training: 'loam " + String.join(" ", args) + "' failed (" + code + "): "
          + Main.oneLine(err.toString()));
      System.exit(1);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
