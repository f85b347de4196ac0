package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.StorageKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSystemLayoutTest {
  @TempDir Path base;

  @Test
  void keysMapToTheNodeFsPaths() {
    FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(base);
    assertEquals(fs.base().resolve("2j/9knpCseyhnK8izDmLpGP5WMdZQ/snapshot/abc"),
        fs.pathOf(StorageKey.of("2j9knpCseyhnK8izDmLpGP5WMdZQ", "snapshot", "abc")));
    assertEquals(fs.base().resolve("st/orage-adapter-id"), fs.pathOf(StorageKey.of("storage-adapter-id")));
  }

  @Test
  void aFileInTheLayoutIsReadWithItsKey() throws Exception {
    Path file = base.resolve("2H/kVqnFk8So9JxZFynSuR4CBK8u5/incremental/ff00");
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {7});
    FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(base);
    assertEquals(Bytes.wrap(new byte[] {7}), fs.load(StorageKey.of("2HkVqnFk8So9JxZFynSuR4CBK8u5", "incremental", "ff00")).orElseThrow());
    assertEquals(StorageKey.of("2HkVqnFk8So9JxZFynSuR4CBK8u5", "incremental", "ff00"),
        fs.loadRange(StorageKey.of("2HkVqnFk8So9JxZFynSuR4CBK8u5")).get(0).key());
  }

  @Test
  void unsafeComponentsAreEscapedAndTemporaryFilesNeverShow() {
    assertEquals("a%2Fb%25c%5Cd%00", FileSystemStorageAdapter.escape("a/b%c\\d\0"));
    assertEquals("%2E%2E", FileSystemStorageAdapter.escape(".."));
    assertEquals("..x", FileSystemStorageAdapter.escape("..x"));
    assertEquals("a/b%c\\d\0", FileSystemStorageAdapter.unescape("a%2Fb%25c%5Cd%00"));
    FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(base);
    fs.save(StorageKey.of("x/y", ".."), Bytes.wrap(new byte[] {1}));
    assertTrue(Files.isRegularFile(fs.base().resolve("x%2F/y/%2E%2E")));
    assertEquals(1, fs.loadRange(StorageKey.EMPTY).size());
    assertTrue(Files.isDirectory(fs.base().resolve(FileSystemStorageAdapter.TEMP_DIR)));
  }
}
