package dev.loam.secure.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published test vectors read from a resource beside the tests: blocks of {@code key = value}
 * lines separated by blank lines, {@code #} lines being comments.
 */
final class Vectors {
  private Vectors() {}

  /** One vector: its named values as written. */
  record Vector(Map<String, String> values) {
    String text(String key) {
      String value = values.get(key);
      if (value == null) {
        throw new IllegalArgumentException("vector " + values.get("name") + " has no " + key);
      }
      return value;
    }

    byte[] hex(String key) {
      return HexFormat.of().parseHex(text(key));
    }

    int integer(String key) {
      return Integer.parseInt(text(key));
    }

    byte[] ascii(String key) {
      return text(key).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
      return values.getOrDefault("name", values.toString());
    }
  }

  static List<Vector> load(String resource) {
    String text;
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test vector resource " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Vector> vectors = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    for (String line : (text + "\n").split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.isEmpty()) {
        if (!current.isEmpty()) {
          vectors.add(new Vector(Map.copyOf(current)));
          current = new LinkedHashMap<>();
        }
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(resource + ": not a key = value line: " + line);
      }
      current.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
    }
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException(resource + " holds no vectors");
    }
    return vectors;
  }
}
