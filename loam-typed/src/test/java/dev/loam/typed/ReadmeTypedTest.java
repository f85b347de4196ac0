package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's typed-documents example compiles and prints what its {@code // Output:} comment
 * says (compiled to a folder and loaded beside the test's classes, as an app on the class path).
 */
class ReadmeTypedTest {
  @TempDir Path tmp;

  @Test
  void theReadmesTypedExamplePrintsWhatItsOutputCommentSays() throws Exception {
    String md = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize());
    Matcher m = Pattern.compile("<!-- typed:begin -->\\s*```java\\n(.*?)// Output:\\n(.*?)```\\s*<!-- typed:end -->", Pattern.DOTALL).matcher(md);
    assertTrue(m.find(), "README has a java block ending in an // Output: comment between typed:begin and typed:end");
    List<String> expected = m.group(2).lines().map(l -> l.strip().replaceFirst("^// ?", "")).toList();

    Path src = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("Typed.java"), m.group(1));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String path = String.join(File.pathSeparator, System.getProperty("java.class.path", ""), System.getProperty("jdk.module.path", ""));
    StringWriter diagnostics = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      assertTrue(javac.getTask(diagnostics, fm, null, List.of("-classpath", path, "-d", classes.toString(), "-proc:none"), null,
          fm.getJavaFileObjects(src)).call(), "the example compiles:\n" + diagnostics);
    }

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream old = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      loader.loadClass("Typed").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(old);
    }
    assertEquals(expected, captured.toString(StandardCharsets.UTF_8).lines().toList());
  }
}
