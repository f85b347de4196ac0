package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code loam} in-process with captured output, and reads the test fixtures. */
final class Cli {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Cli() {}

  record Result(int code, String out, String err) {
    /** Asserts success and no stderr; returns stdout. */
    String ok() {
      assertEquals("", err, "stderr");
      assertEquals(0, code, "exit code");
      return out;
    }

    /** Asserts a failure reported as one line on stderr, with nothing on stdout; returns that line. */
    String failed() {
      assertNotEquals(0, code, "exit code");
      assertEquals("", out, "stdout");
      assertTrue(err.endsWith("\n"), "stderr ends with a newline: " + err);
      String line = err.substring(0, err.length() - 1);
      assertFalse(line.contains("\n"), "one line on stderr: " + err);
      assertFalse(line.contains("Exception"), "no exception class names: " + err);
      return line;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code loam} with raw standard input and output (for {@code doc sync-stdio}). */
  static Result runStdio(java.io.InputStream stdin, java.io.OutputStream stdout, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] s = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      s[i] = args[i].toString();
    }
    int code = Main.run(stdin, stdout, new PrintWriter(out, true), new PrintWriter(err, true), s);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(Object... args) {
    String[] s = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      s[i] = args[i].toString();
    }
    return run(s);
  }

  /** Copies fixture {@code name} into {@code dir}. */
  static Path fixture(Path dir, String name) {
    try (InputStream in = Cli.class.getResourceAsStream("/fixtures/" + name)) {
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values JS reported for the fixtures. */
  static JsonNode manifest() {
    try (InputStream in = Cli.class.getResourceAsStream("/fixtures/manifest.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path p, String content) {
    try {
      return Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
