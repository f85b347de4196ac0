package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** The typed-documents example in the README compiles, runs, and prints what its {@code // Output:} comment says. */
class ReadmeTypedTest {
  @Test
  void theReadmesTypedExamplePrintsWhatItsOutputCommentSays() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
    String md = Files.readString(readme);
    Matcher m = Pattern.compile("<!-- typed:begin -->\\s*```java\\n(.*?)```\\s*<!-- typed:end -->", Pattern.DOTALL).matcher(md);
    assertTrue(m.find(), "README has a java block between typed:begin and typed:end");
    String source = m.group(1);
    int out = source.indexOf("// Output:");
    assertTrue(out >= 0, "the example ends with an // Output: comment");
    List<String> expected = new ArrayList<>();
    for (String line : source.substring(out).split("\n")) {
      String l = line.strip();
      if (l.startsWith("// Output:")) {
        continue;
      }
      if (l.startsWith("//")) {
        expected.add(l.substring(2).startsWith(" ") ? l.substring(3) : l.substring(2));
      }
    }
    Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
    assertTrue(cls.find());
    String name = cls.group(1);

    Map<String, byte[]> classes = compile(name, source);
    ClassLoader loader = new ClassLoader(ReadmeTypedTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String n) throws ClassNotFoundException {
        byte[] b = classes.get(n);
        if (b == null) {
          throw new ClassNotFoundException(n);
        }
        return defineClass(n, b, 0, b.length);
      }
    };
    Method main = loader.loadClass(name).getMethod("main", String[].class);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(old);
    }
    List<String> actual = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(expected, actual);
  }

  private static Map<String, byte[]> compile(String name, String source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "a JDK compiler");
    Map<String, ByteArrayOutputStream> out = new HashMap<>();
    StandardJavaFileManager std = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    var fm = new ForwardingJavaFileManager<>(std) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
          @Override
          public java.io.OutputStream openOutputStream() {
            return out.computeIfAbsent(className, k -> new ByteArrayOutputStream());
          }
        };
      }
    };
    JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    // the test runtime's class path plus the module path surefire may use, so dev.loam resolves
    String cp = System.getProperty("java.class.path", "");
    String mp = System.getProperty("jdk.module.path", "");
    String path = mp.isEmpty() ? cp : cp.isEmpty() ? mp : cp + File.pathSeparator + mp;
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, fm, null, List.of("-classpath", path, "-proc:none"), null, List.of(src)).call();
    assertTrue(ok, "the example compiles:\n" + diagnostics);
    Map<String, byte[]> classes = new HashMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return classes;
  }
}
