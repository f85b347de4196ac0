package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.spi.StorageSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A read-only view of a {@link FileSystemStorageAdapter} folder that another process (a running
 * {@code loam serve}) keeps writing: for an online backup. Reads each document's chunks as they
 * were at one instant, although a file system offers no transactions.
 *
 * <p>Implementation notes: chunk files are immutable under their names (an incremental is named by
 * the hash of its bytes, a snapshot by the hash of its heads, and each is written to a temporary
 * file and renamed into place, so it is never torn), and a compaction writes its new snapshot
 * <em>before</em> it removes the chunks that snapshot replaces. A document is read by listing its
 * folder, reading every file listed, and listing it again: if a file vanished or the two listings
 * differ, a compaction or a save ran meanwhile and the read starts over. When they agree, no
 * snapshot was written between the two listings (the newest snapshot is never removed, so one
 * written meanwhile would be in the second listing), hence nothing was removed either, and the
 * files read are the document's chunks at the second listing: one set of heads. A document written
 * faster than it can be read is retried up to {@value #ATTEMPTS} times, then the read fails.
 *
 * <p>Each call sees its documents at their own instants; different documents and different calls
 * may see different instants. Keys with one component (the storage id) are single files, read
 * atomically. Writes throw {@link UnsupportedOperationException}. Nothing in the folder is created
 * or changed. Thread-safe (it holds no state but the folder's path).
 */
public final class FileSystemSnapshot implements StorageSnapshot {
  static final int ATTEMPTS = 1000;

  private final Path base;
  private final Path temp;

  private FileSystemSnapshot(Path base) {
    this.base = base;
    this.temp = base.resolve(FileSystemStorageAdapter.TEMP_DIR);
  }

  /**
   * A view of the folder {@code base}, as {@link FileSystemStorageAdapter#open} lays it out.
   *
   * @throws StorageException if {@code base} is not a folder
   */
  public static FileSystemSnapshot open(Path base) {
    if (!Files.isDirectory(base)) {
      throw new StorageException("no storage folder " + base);
    }
    return new FileSystemSnapshot(base.toAbsolutePath().normalize());
  }

  /** The folder this snapshot reads (absolute, normalised). */
  public Path base() {
    return base;
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Path p = FileSystemStorageAdapter.pathOf(base, key);
    try {
      return Files.isRegularFile(p) ? Optional.of(Bytes.wrap(Files.readAllBytes(p))) : Optional.empty();
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " from " + base, e);
    }
  }

  /**
   * Every chunk under {@code prefix}: each document's chunks as of one instant (its own).
   * Blocks on the file system; retries a document that changes while it is read.
   *
   * @throws StorageException if a document changed on every one of {@value #ATTEMPTS} reads, or on an I/O failure
   */
  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    try {
      if (!prefix.isEmpty()) {
        return stableRead(FileSystemStorageAdapter.pathOf(base, prefix), prefix);
      }
      // one document (or one single-file key) at a time: base / k0[0:2] / k0[2:]
      List<Chunk> out = new ArrayList<>();
      for (Path shard : children(base)) {
        if (!shard.equals(temp) && Files.isDirectory(shard)) {
          for (Path entry : children(shard)) {
            out.addAll(stableRead(entry, prefix));
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new StorageException("cannot read range " + prefix + " from " + base, e);
    }
  }

  /** Nothing to release. */
  @Override
  public void close() {}

  private List<Chunk> stableRead(Path root, StorageKey prefix) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<Path> listed = listing(root);
      List<Chunk> out = readAll(listed, prefix);
      if (out != null && listing(root).equals(listed)) {
        return out;
      }
    }
    throw new StorageException("the chunks under " + root + " changed during each of " + ATTEMPTS + " attempts to read them");
  }

  private List<Path> listing(Path root) throws IOException {
    List<Path> files = new ArrayList<>(FileSystemStorageAdapter.files(root, temp));
    files.sort(null);
    return files;
  }

  /** The chunks of the files listed, or null if one vanished since the listing. */
  private @org.jspecify.annotations.Nullable List<Chunk> readAll(List<Path> listed, StorageKey prefix) throws IOException {
    List<Chunk> out = new ArrayList<>();
    for (Path file : listed) {
      StorageKey key = FileSystemStorageAdapter.keyOf(base, file);
      if (key == null || !key.startsWith(prefix)) {
        continue;
      }
      try {
        out.add(new Chunk(key, Bytes.wrap(Files.readAllBytes(file))));
      } catch (NoSuchFileException gone) {
        return null;
      }
    }
    return out;
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (NoSuchFileException gone) {
      return List.of();
    }
  }
}
