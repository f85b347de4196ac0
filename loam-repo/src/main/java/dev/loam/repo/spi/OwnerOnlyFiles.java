package dev.loam.repo.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates folders and files that only their owner can read: folders {@code 0700}, files
 * {@code 0600}, whatever the umask, as PostgreSQL keeps its data directory. Documents are private
 * data; a storage adapter that keeps them in files creates every folder and file through this
 * class. On a file system without POSIX permissions (Windows), it creates them as the platform
 * does by default. Existing folders and files are left as they are. Stateless and thread-safe.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** Creates {@code dir} and every missing parent, each {@code 0700}; returns {@code dir}. Blocks on the file system. */
  public static Path createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (posix(dir)) {
      return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
    }
    return Files.createDirectories(dir);
  }

  /** Creates the empty file {@code file} ({@code 0600}) unless it exists; true if this call created it. Blocks on the file system. */
  public static boolean createFile(Path file) throws IOException {
    try {
      if (posix(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(file);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Opens {@code file} with {@code options}; if they create it, it is created {@code 0600}.
   * Blocks on the file system.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    if (posix(file)) {
      return FileChannel.open(file, Set.of(options), PosixFilePermissions.asFileAttribute(FILE));
    }
    return FileChannel.open(file, options);
  }

  /** Makes the existing file {@code file} {@code 0600}; does nothing if it is missing or permissions are not POSIX. */
  public static void restrict(Path file) throws IOException {
    if (posix(file) && Files.isRegularFile(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
