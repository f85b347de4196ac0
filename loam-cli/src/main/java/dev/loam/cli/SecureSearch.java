package dev.loam.cli;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.search.Progress;
import dev.loam.search.SearchIndex;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import dev.loam.secure.SecureUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The search index of the secure documents one identity can read in a repo folder: their
 * plaintext (decrypted here, on the device) goes into an in-memory repo, which a {@link
 * SearchIndex} in its own folder ({@code DIR/search-index-<hash of the member id>}) follows.
 * That folder is derived plaintext: a README in it says so; it is not in the repo's storage, so
 * never synced nor in a backup, and {@code --reindex} deletes and rebuilds it. Nothing about it
 * reaches a server. Close releases it. Used by one thread.
 */
public final class SecureSearch implements AutoCloseable {
  static final String FOLDER_PREFIX = SearchCommand.INDEX_FOLDER + "-";
  static final String MARKER = "README.txt";

  private final Repo plaintext;
  private final SearchIndex index;
  private final List<DocumentId> readable;

  private SecureSearch(Repo plaintext, SearchIndex index, List<DocumentId> readable) {
    this.plaintext = plaintext;
    this.index = index;
    this.readable = readable;
  }

  /** The index folder of {@code me}'s secure documents in repo folder {@code data}. */
  static Path folder(Path data, Identity me) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(me.memberId().toString().getBytes(StandardCharsets.UTF_8));
      return data.resolve(FOLDER_PREFIX + HexFormat.of().formatHex(h, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Decrypts what {@code me} can read of {@code local}'s secure documents and opens (or, with
   * {@code rebuild}, deletes and recreates) their index, brought up to date by heads.
   */
  public static SecureSearch open(LocalRepo local, Path data, Identity me, boolean rebuild, Progress progress) {
    SecureRepo secure = SecureRepo.of(local.repo(), me);
    InMemoryStorageAdapter storage = new InMemoryStorageAdapter();
    List<DocumentId> readable = new ArrayList<>();
    for (DocumentId id : secure.documents().stream().sorted(Comparator.comparing(DocumentId::toString)).toList()) {
      SecureDocument d = secure.open(id).orElseThrow();
      if (d.canRead()) {
        Document doc = d.document();
        storage.save(StorageKey.of(id.toString(), "snapshot", "plaintext"), Bytes.wrap(doc.save()));
        readable.add(id);
      }
    }
    Path folder = folder(data, me);
    if (rebuild) {
      deleteTree(folder);
    }
    Repo plaintext = Repo.builder().storage(storage).unavailableTimeout(Duration.ZERO).build();
    try {
      SearchIndex index = SearchIndex.open(folder, plaintext);
      try {
        writeMarker(folder, me);
        index.catchUp(readable, progress);
        return new SecureSearch(plaintext, index, readable);
      } catch (RuntimeException e) {
        index.close();
        throw e;
      }
    } catch (RuntimeException e) {
      plaintext.close();
      throw e;
    }
  }

  /** The index of the plaintext of the secure documents the identity can read. */
  public SearchIndex index() {
    return index;
  }

  /** How many secure documents the identity can read. */
  int readable() {
    return readable.size();
  }

  /** The {@code loam-secure:} URL of a document of this index. */
  public static String url(DocumentId id) {
    return new SecureUrl(id).toString();
  }

  private static void writeMarker(Path folder, Identity me) {
    try {
      Files.writeString(folder.resolve(MARKER), """
          Derived plaintext: a local search index of the secure documents that member
          %s
          can read in this repo folder, decrypted on this device by 'loam search --id'.
          It is never synced and never in a backup; deleting this folder loses nothing
          ('loam search --id FILE --reindex' deletes and rebuilds it). Protect it as you
          protect the device: it holds the documents' text in the clear.
          """.formatted(me.memberId()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder.resolve(MARKER), e);
    }
  }

  private static void deleteTree(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the secure search index " + folder, e);
    }
  }

  @Override
  public void close() {
    try {
      index.close();
    } finally {
      plaintext.close();
    }
  }
}
