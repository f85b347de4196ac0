package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapper under the module system, as the Javadoc of {@link Mapper} promises: an app module
 * whose model package is neither exported nor opened gets a {@link MappingException} saying what
 * to do; the same app works when it passes its own lookup, or when the package is opened to
 * {@code dev.loam.typed}. The app is compiled here and run as its own JVM on the module path.
 */
class JpmsTest {
  private static final String MODULE_INFO = "module app { requires dev.loam.typed; }";
  private static final String MAIN = """
      package app;

      import dev.loam.Document;
      import dev.loam.typed.*;
      import java.lang.invoke.MethodHandles;

      public class Main {
        record Note(String title, int n) {}

        public static void main(String[] args) {
          try {
            Mapper.of(Note.class);
            System.out.println("default lookup: mapped");
          } catch (MappingException e) {
            System.out.println("default lookup: " + e.getMessage());
          }
          Mapper<Note> m = Mapper.of(Note.class, MethodHandles.lookup());
          Document doc = Document.create();
          doc.transact(tx -> m.reconcile(tx, new Note("x", 2)));
          System.out.println(m.read(doc) + " " + doc.toJson());
        }
      }
      """;

  @TempDir Path tmp;

  @Test
  void aNamedModuleOpensItsModelOrPassesItsLookup() throws Exception {
    String modulePath = System.getProperty("jdk.module.path", "");
    assertTrue(modulePath.contains("loam-typed"), "the tests run on the module path: " + modulePath);
    Path src = Files.createDirectories(tmp.resolve("src/app"));
    Files.writeString(tmp.resolve("src/module-info.java"), MODULE_INFO);
    Files.writeString(src.resolve("Main.java"), MAIN);
    Path out = Files.createDirectories(tmp.resolve("out"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      assertTrue(javac.getTask(diagnostics, fm, null, List.of("--module-path", modulePath, "-d", out.toString(), "-proc:none"), null,
          fm.getJavaFileObjects(tmp.resolve("src/module-info.java"), src.resolve("Main.java"))).call(), diagnostics.toString());
    }

    List<String> closed = run(modulePath + File.pathSeparator + out);
    assertTrue(closed.get(0).startsWith("default lookup: app.Main$Note is not accessible to Loam"), closed.toString());
    assertTrue(closed.get(0).endsWith("(open its package to dev.loam.typed, or pass MethodHandles.lookup() to Mapper.of)"), closed.toString());
    assertEquals("Note[title=x, n=2] {\"n\":2,\"title\":\"x\"}", closed.get(1));

    List<String> opened = run(modulePath + File.pathSeparator + out, "--add-opens", "app/app=dev.loam.typed");
    assertEquals(List.of("default lookup: mapped", "Note[title=x, n=2] {\"n\":2,\"title\":\"x\"}"), opened);
  }

  private static List<String> run(String modulePath, String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--module-path", modulePath));
    command.addAll(List.of(options));
    command.addAll(List.of("-m", "app/app.Main"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the app ends");
    assertEquals(0, p.exitValue(), output);
    return output.lines().filter(l -> !l.startsWith("WARNING")).toList();
  }
}
