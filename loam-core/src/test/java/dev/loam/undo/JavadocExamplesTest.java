package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The examples in the Javadoc of {@link Revert} and {@link UndoManager} are the code their tests
 * run: every line of each {@code <pre>{@code ...}</pre>} block stands, in order, in the test named.
 */
class JavadocExamplesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/loam/undo");
  private static final Path TEST = Path.of("src/test/java/dev/loam/undo");

  @ParameterizedTest
  @CsvSource({"Revert, RevertTest", "UndoManager, UndoManagerTest"})
  void theJavadocExampleIsRunByATest(String type, String test) throws IOException {
    String source = Files.readString(MAIN.resolve(type + ".java"));
    Matcher m = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL).matcher(source);
    assertTrue(m.find(), type + " has an example");
    List<String> lines = new ArrayList<>();
    for (String line : m.group(1).split("\n")) {
      String code = line.replaceFirst("^ \\* ?", "").strip();
      if (!code.isEmpty()) {
        lines.add(code);
      }
    }
    assertFalse(lines.isEmpty());
    String body = Files.readString(TEST.resolve(test + ".java"));
    int at = body.indexOf("void theExampleOfTheClassComment()");
    assertTrue(at >= 0, test + " runs the example in theExampleOfTheClassComment");
    for (String code : lines) {
      int next = body.indexOf(code, at);
      assertTrue(next >= 0, test + " runs the example's line, in order: " + code);
      at = next + code.length();
    }
  }
}
