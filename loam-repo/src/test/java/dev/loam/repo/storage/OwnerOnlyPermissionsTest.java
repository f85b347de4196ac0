package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loam.Bytes;
import dev.loam.repo.spi.StorageKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents are private: the storage adapters create folders 0700 and files 0600, whatever the umask. */
class OwnerOnlyPermissionsTest {
  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "permission bits are POSIX");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** Everything under {@code root} (itself excluded). */
  private static List<Path> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return new ArrayList<>(s.filter(p -> !p.equals(root)).toList());
    }
  }

  @Test
  void sqliteCreatesItsFoldersAndFilesForTheOwnerOnly() throws Exception {
    Path top = dir.resolve("a");
    Path file = top.resolve("b").resolve("loam.db");
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.save(StorageKey.of("doc", "snapshot", "h"), Bytes.wrap(new byte[] {1, 2, 3}));
      List<Path> created = tree(top);
      assertTrue(created.contains(file.resolveSibling("loam.db-wal")), "WAL exists while open: " + created);
      for (Path p : created) {
        assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
      }
    }
    assertEquals("rwx------", mode(top));
  }

  @Test
  void fileSystemStorageCreatesEveryFolderAndFileForTheOwnerOnly() throws Exception {
    Path base = dir.resolve("data");
    FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(base);
    fs.save(StorageKey.of("2j9knpCseyhnK8izDmLpGP5WMdZQ", "snapshot", "9f"), Bytes.wrap(new byte[] {1}));
    fs.save(StorageKey.of("storage-adapter-id"), Bytes.wrap(new byte[] {2}));
    fs.close();
    List<Path> created = tree(base);
    assertEquals(7, created.size(), created.toString()); // .loam-tmp, 2j, 9kn…, snapshot, 9f, st, orage-adapter-id
    assertEquals("rwx------", mode(base));
    for (Path p : created) {
      assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
    }
  }

  @Test
  void existingFoldersKeepTheirPermissions() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---")); // despite the umask
    SqliteStorageAdapter.open(shared.resolve("loam.db")).close();
    assertEquals("rwxr-x---", mode(shared));
    assertEquals("rw-------", mode(shared.resolve("loam.db")));
  }
}
