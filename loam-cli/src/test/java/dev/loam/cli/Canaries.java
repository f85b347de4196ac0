package dev.loam.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Canary strings, and where they show up in bytes: raw, hex (either case) or base64 (standard or URL-safe, any alignment). */
final class Canaries {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Canaries() {}

  /** A fresh canary: text that appears nowhere by chance. */
  static String fresh(String label) {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "canary-" + label + "-" + HexFormat.of().formatHex(b);
  }

  /** Every form of {@code canary} to look for. */
  static List<byte[]> forms(String canary) {
    byte[] raw = canary.getBytes(StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>(List.of(canary, HexFormat.of().formatHex(raw), HexFormat.of().withUpperCase().formatHex(raw)));
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + raw.length];
      System.arraycopy(raw, 0, shifted, shift, raw.length);
      for (Base64.Encoder e : List.of(Base64.getEncoder().withoutPadding(), Base64.getUrlEncoder().withoutPadding())) {
        String s = e.encodeToString(shifted);
        // drop the characters that mix in the leading filler or the unknown bytes after the canary
        int from = shift == 0 ? 0 : (shift * 8 + 5) / 6 + 1;
        texts.add(s.substring(from, s.length() - 2));
      }
    }
    List<byte[]> forms = new ArrayList<>();
    for (String t : texts) {
      forms.add(t.getBytes(StandardCharsets.US_ASCII));
    }
    forms.set(0, raw);
    return forms;
  }

  /** The files under {@code folder} (recursively) in which some form of some canary appears, with the form. */
  static List<String> foundIn(Path folder, String... canaries) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        for (String c : canaries) {
          for (byte[] form : forms(c)) {
            if (indexOf(bytes, form) >= 0) {
              found.add(f + ": " + new String(form, StandardCharsets.UTF_8));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Whether some form of {@code canary} appears in {@code text}. */
  static boolean in(String text, String canary) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return forms(canary).stream().anyMatch(f -> indexOf(bytes, f) >= 0);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
