package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code loam search} remembers of a repo folder's storage at its last catch-up: per
 * document, a hash of its chunk names ({@link LocalRepo#storedChunkKeys}), in a file inside the
 * index folder. A document whose chunk names are the same has not been saved to since, so the
 * catch-up need not load it: a search with nothing changed loads no document. The file goes with
 * the index (a rebuilt index starts without it). Used by one thread.
 */
final class CatchUpKeys {
  static final String FILE = "loam-catch-up-keys";

  private CatchUpKeys() {}

  /** The hash of each document's chunk names in {@code keys}. */
  static Map<DocumentId, String> hashes(Map<DocumentId, String> keys) {
    Map<DocumentId, String> out = HashMap.newHashMap(keys.size());
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256"); // one for all: digest() resets it
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    HexFormat hex = HexFormat.of();
    for (Map.Entry<DocumentId, String> e : keys.entrySet()) {
      out.put(e.getKey(), hex.formatHex(sha.digest(e.getValue().getBytes(StandardCharsets.UTF_8))));
    }
    return out;
  }

  /**
   * The hashes saved in {@code folder}, by document id as written (not parsed: a line that names no
   * document of the repo matches none), or none if there are none (or they cannot be read).
   */
  static Map<String, String> read(Path folder) {
    Map<String, String> out = new HashMap<>();
    try {
      for (String line : Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8)) {
        int space = line.indexOf(' ');
        if (space > 0) {
          out.put(line.substring(0, space), line.substring(space + 1));
        }
      }
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      return Map.of(); // derived data: a catch-up that loads everything is always right
    }
    return out;
  }

  /** Whether {@code hashes} are those {@link #read} gave as {@code saved}. */
  static boolean same(Map<DocumentId, String> hashes, Map<String, String> saved) {
    if (hashes.size() != saved.size()) {
      return false;
    }
    for (Map.Entry<DocumentId, String> e : hashes.entrySet()) {
      if (!e.getValue().equals(saved.get(e.getKey().toString()))) {
        return false;
      }
    }
    return true;
  }

  /** Saves {@code hashes} in {@code folder}, whole or not at all. */
  static void write(Path folder, Map<DocumentId, String> hashes) {
    StringBuilder b = new StringBuilder();
    new TreeMap<String, String>(hashes.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue)))
        .forEach((id, h) -> b.append(id).append(' ').append(h).append('\n'));
    try {
      Path tmp = folder.resolve(FILE + ".tmp");
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
    }
  }
}
