import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build's file-length check: fails when a Java file under a module's {@code src/main/java}
 * is longer than the limit. A file that long usually holds two ideas; split it by job.
 *
 * <p>Run by maven-antrun-plugin in every module's {@code verify} phase (see the parent pom) as
 * {@code java MainFileLength.java SOURCE_DIR MAX_LINES FAIL}; with FAIL {@code false} it only
 * warns. Lines are counted as {@code wc -l} does, plus a last line without a newline.
 */
public final class MainFileLength {
  private MainFileLength() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: java MainFileLength.java SOURCE_DIR MAX_LINES FAIL(true|false)");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int max = Integer.parseInt(args[1]);
    boolean fail = Boolean.parseBoolean(args[2]);
    if (!Files.isDirectory(root)) {
      return;
    }
    List<String> tooLong;
    try (Stream<Path> files = Files.walk(root)) {
      tooLong = files
          .filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
          .sorted()
          .map(p -> {
            long lines = lines(p);
            return lines > max ? p + " has " + lines + " lines (the limit for main code is " + max + ")" : null;
          })
          .filter(s -> s != null)
          .toList();
    }
    if (tooLong.isEmpty()) {
      return;
    }
    String head = fail ? "[ERROR] file length: " : "[WARNING] file length: ";
    for (String line : tooLong) {
      System.err.println(head + line);
    }
    if (fail) {
      System.err.println("[ERROR] file length: split these files by job (-Dloam.maxLines.fail=false only warns)");
      System.exit(1);
    }
  }

  private static long lines(Path p) {
    try {
      byte[] bytes = Files.readAllBytes(p);
      long n = 0;
      for (byte b : bytes) {
        if (b == '\n') {
          n++;
        }
      }
      return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? n + 1 : n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
