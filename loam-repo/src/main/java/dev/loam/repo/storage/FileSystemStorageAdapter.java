package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.OwnerOnlyFiles;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Stores each chunk as one file, in exactly the layout of automerge-repo's node-fs adapter
 * ({@code @automerge/automerge-repo-storage-nodefs}), so a folder written by a JS repo opens here
 * and the other way round.
 *
 * <pre>
 * key  [k0, k1, k2, ...]
 * file base/ k0[0:2] / k0[2:] / k1 / k2 / ...
 *
 * e.g. ["2j9knpCseyhnK8izDmLpGP5WMdZQ", "snapshot", "9f…"]
 *   -> base/2j/9knpCseyhnK8izDmLpGP5WMdZQ/snapshot/9f…
 *      ["storage-adapter-id"] -> base/st/orage-adapter-id
 * </pre>
 *
 * <p>Components that cannot be file names are escaped, which node-fs does not do (it could not
 * store such keys at all): {@code %}, {@code /}, {@code \}, NUL become {@code %25 %2F %5C %00},
 * a lone UTF-16 surrogate {@code %uD83D}, a component made only of dots has its dots written
 * {@code %2E}, and an empty remainder {@code k0[2:]} (a first component shorter than three
 * characters) is written {@code %}. Keys automerge-repo writes (base58, hex, UUIDs and the words
 * {@code snapshot}, {@code incremental}, {@code sync-state}) never need escaping. On a
 * case-insensitive file system, keys differing only in case collide.
 *
 * <p>Unlike node-fs, a save is atomic and durable: the bytes go to a temporary file under
 * {@code base/.loam-tmp/}, are forced to disk, and are renamed into place; the directories are
 * forced too. A torn chunk file therefore never appears, even if the process dies mid-write.
 * Folders and files it creates are readable by their owner only ({@link OwnerOnlyFiles}).
 *
 * <p>As in node-fs, a key cannot coexist with a longer key that starts with it ({@code [a, b]} is
 * a file, {@code [a, b, c]} would need it to be a folder); saving such a key throws
 * {@link StorageException}. automerge-repo never writes such pairs.
 *
 * <p>Thread-safe: saves, removes and loads run concurrently; {@link #removeRange} excludes them.
 */
public final class FileSystemStorageAdapter implements StorageAdapter {
  private static final Logger log = LoggerFactory.getLogger(FileSystemStorageAdapter.class);
  static final String TEMP_DIR = ".loam-tmp";

  private final Path base;
  private final Path temp;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private FileSystemStorageAdapter(Path base) {
    this.base = base.toAbsolutePath().normalize();
    this.temp = this.base.resolve(TEMP_DIR);
    try {
      OwnerOnlyFiles.createDirectories(temp);
    } catch (IOException e) {
      throw new StorageException("cannot create storage folder " + base, e);
    }
  }

  /** Opens the folder {@code base}, creating it if needed (node-fs's default is {@code automerge-repo-data}). */
  public static FileSystemStorageAdapter open(Path base) {
    return new FileSystemStorageAdapter(base);
  }

  /** The folder this adapter keeps its files in. */
  public Path base() {
    return base;
  }

  /** The file that holds {@code key} (the node-fs path, escaped where noted above). */
  public Path pathOf(StorageKey key) {
    return pathOf(base, key);
  }

  /** The file that holds {@code key} in a folder whose base is {@code base}. */
  static Path pathOf(Path base, StorageKey key) {
    if (key.isEmpty()) {
      return base;
    }
    String k0 = key.get(0);
    int split = Math.min(2, k0.length());
    Path p = base.resolve(escape(k0.substring(0, split))).resolve(escapeRemainder(k0.substring(split)));
    for (int i = 1; i < key.size(); i++) {
      p = p.resolve(escape(key.get(i)));
    }
    return p;
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    lock.readLock().lock();
    try {
      Path p = pathOf(key);
      if (!Files.isRegularFile(p)) {
        return Optional.empty();
      }
      return Optional.of(Bytes.wrap(Files.readAllBytes(p)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " from " + base, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    InMemoryStorageAdapter.requireWholeKey(key);
    lock.readLock().lock();
    Path tmp = temp.resolve(UUID.randomUUID() + ".tmp");
    try {
      Path target = pathOf(key);
      Path dir = target.getParent();
      OwnerOnlyFiles.createDirectories(dir);
      try (FileChannel ch = OwnerOnlyFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data.toByteArray());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      for (Path d = dir; d != null && d.startsWith(base); d = d.getParent()) {
        forceDirectory(d);
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + key + " to " + base, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a stray temporary file is harmless: nothing reads .loam-tmp
      }
      lock.readLock().unlock();
    }
  }

  @Override
  public void remove(StorageKey key) {
    if (key.isEmpty()) {
      return;
    }
    lock.readLock().lock();
    try {
      Path p = pathOf(key);
      if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
        forceDirectory(p.getParent());
      }
    } catch (IOException e) {
      throw new StorageException("cannot remove " + key + " from " + base, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    lock.readLock().lock();
    try {
      List<Chunk> out = new ArrayList<>();
      for (Path file : files(pathOf(prefix), temp)) {
        StorageKey key = keyOf(base, file);
        if (key == null || !key.startsWith(prefix)) {
          continue;
        }
        try {
          out.add(new Chunk(key, Bytes.wrap(Files.readAllBytes(file))));
        } catch (NoSuchFileException gone) {
          // removed since the listing: not part of the range any more
        }
      }
      return out;
    } catch (IOException e) {
      throw new StorageException("cannot read range " + prefix + " from " + base, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void removeRange(StorageKey prefix) {
    lock.writeLock().lock();
    try {
      if (prefix.isEmpty()) {
        try (var children = Files.list(base)) {
          for (Path child : children.toList()) {
            if (!child.getFileName().toString().equals(TEMP_DIR)) {
              deleteTree(child);
            }
          }
        }
        forceDirectory(base);
        return;
      }
      Path p = pathOf(prefix);
      deleteTree(p);
      forceDirectory(p.getParent());
    } catch (IOException e) {
      throw new StorageException("cannot remove range " + prefix + " from " + base, e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The regular files under {@code root} (or {@code root} itself if it is one), skipping {@code temp}. */
  static List<Path> files(Path root, Path temp) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isRegularFile(root)) {
      out.add(root);
      return out;
    }
    if (!Files.isDirectory(root)) {
      return out;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(temp) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          out.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return out;
  }

  /** The key of a file under {@code base}, or null if the file is not in the layout. */
  static @org.jspecify.annotations.Nullable StorageKey keyOf(Path base, Path file) {
    Path rel = base.relativize(file);
    if (rel.getNameCount() < 2) {
      log.debug("ignoring {}: not in the node-fs layout", file);
      return null;
    }
    try {
      List<String> parts = new ArrayList<>();
      parts.add(unescape(rel.getName(0).toString()) + unescapeRemainder(rel.getName(1).toString()));
      for (int i = 2; i < rel.getNameCount(); i++) {
        parts.add(unescape(rel.getName(i).toString()));
      }
      return new StorageKey(parts);
    } catch (IllegalArgumentException e) {
      log.debug("ignoring {}: {}", file, e.getMessage());
      return null;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        try {
          Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException raced) {
          // impossible under the write lock unless another process writes here; leave it
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Forces a directory's entries to disk; where the platform cannot (Windows), does nothing. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // directories cannot be opened for fsync on every platform
    }
  }

  // ---- escaping of path components ----

  static String escapeRemainder(String s) {
    return s.isEmpty() ? "%" : escape(s);
  }

  static String unescapeRemainder(String s) {
    return s.equals("%") ? "" : unescape(s);
  }

  static String escape(String s) {
    if (!s.isEmpty() && s.chars().allMatch(c -> c == '.')) {
      return "%2E".repeat(s.length());
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String esc = switch (c) {
        case '%' -> "%25";
        case '/' -> "%2F";
        case '\\' -> "%5C";
        case '\0' -> "%00";
        default -> {
          boolean lone = Character.isHighSurrogate(c) ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
              : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
          yield lone ? String.format("%%u%04X", (int) c) : null;
        }
      };
      if (esc != null && sb == null) {
        sb = new StringBuilder(s.substring(0, i));
      }
      if (sb != null) {
        if (esc != null) {
          sb.append(esc);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        sb.append(c);
      } else if (i + 1 < s.length() && s.charAt(i + 1) == 'u' && i + 6 <= s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else if (i + 3 <= s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        throw new IllegalArgumentException("bad escape in file name " + s);
      }
    }
    return sb.toString();
  }
}
