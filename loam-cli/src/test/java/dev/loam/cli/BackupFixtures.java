package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Repos for the backup tests, and the reference for what a restore must give: the documents'
 * heads and JSON as a {@link Repo} on the source storage reports them (not as the backup code does).
 */
final class BackupFixtures {
  private BackupFixtures() {}

  /** One document's state: its heads and its JSON. */
  record Doc(Heads heads, String json) {}

  /**
   * Creates {@code count} documents in {@code storage} (closed afterwards), each a title and a
   * list of a few random items of about {@code itemBytes} characters, and returns their state.
   */
  static Map<String, Doc> create(StorageAdapter storage, int count, int itemBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    try (Repo repo = Repo.builder().storage(storage).build()) {
      List<DocHandle> handles = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        DocHandle h = repo.create();
        int n = i;
        h.change(tx -> {
          tx.put(ObjId.ROOT, "title", "document " + n);
          ObjId items = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
          for (int k = 0; k < 1 + random.nextInt(3); k++) {
            tx.insert(items, k, dev.loam.ScalarValue.of(text(random, itemBytes)));
          }
        });
        handles.add(h);
      }
      repo.flush();
      Map<String, Doc> out = new TreeMap<>();
      for (DocHandle h : handles) {
        out.put(h.url().toString(), new Doc(h.heads(), h.toJson()));
      }
      return out;
    }
  }

  /** Appends {@code text} to the items of document {@code url} in {@code storage} (closed afterwards); returns its new state. */
  static Doc append(StorageAdapter storage, String url, String text) {
    try (Repo repo = Repo.builder().storage(storage).build()) {
      DocHandle h = ready(repo, url);
      h.change(tx -> {
        ObjId items = ((dev.loam.Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
        tx.insert(items, tx.length(items), dev.loam.ScalarValue.of(text));
      });
      repo.flush();
      return new Doc(h.heads(), h.toJson());
    }
  }

  /** Every document stored in {@code storage} (closed afterwards), as a repo on it opens them. */
  static Map<String, Doc> read(StorageAdapter storage) {
    List<String> ids = new ArrayList<>();
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      StorageKey k = c.key();
      if (k.size() == 3 && (k.get(1).equals("snapshot") || k.get(1).equals("incremental"))) {
        DocumentId.tryParse(k.get(0)).map(id -> id.toUrl().toString()).filter(u -> !ids.contains(u)).ifPresent(ids::add);
      }
    }
    Map<String, Doc> out = new TreeMap<>();
    try (Repo repo = Repo.builder().storage(storage).build()) {
      for (String url : ids) {
        DocHandle h = ready(repo, url);
        out.put(url, new Doc(h.heads(), h.toJson()));
      }
    }
    return out;
  }

  /** The lines {@code loam backup ls} must print for {@code docs}: URL, then heads as comma-separated hex. */
  static List<String> lsLines(Map<String, Doc> docs) {
    List<String> lines = new ArrayList<>();
    docs.forEach((url, d) -> {
      List<String> hex = new ArrayList<>();
      d.heads().forEach(h -> hex.add(h.hex()));
      lines.add(url + " " + String.join(",", hex));
    });
    return lines;
  }

  /** Every chunk of {@code storage} (closed afterwards), keyed by its key's text: a fingerprint of everything stored. */
  static Map<String, String> chunks(StorageAdapter storage) {
    try (storage) {
      Map<String, String> out = new TreeMap<>();
      for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
        out.put(c.key().toString(), c.data().hex());
      }
      return out;
    }
  }

  static void assertSameDocuments(Map<String, Doc> expected, Map<String, Doc> actual) {
    assertEquals(expected.keySet(), actual.keySet(), "documents");
    expected.forEach((url, d) -> assertEquals(d, actual.get(url), url));
  }

  private static DocHandle ready(Repo repo, String url) {
    try {
      return repo.find(dev.loam.repo.id.AutomergeUrl.parse(url)).whenReady().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("document " + url + " did not load", e);
    }
  }

  private static String text(SplittableRandom random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
