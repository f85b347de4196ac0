package dev.loam.server;

import dev.loam.repo.spi.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps one process at a time on a data folder (SQLite or filesystem storage): an OS file lock on
 * {@code <folder>/.loam.lock}, whose text says who holds it. The OS releases the lock when the
 * process dies, so a crash never leaves the folder locked. {@code loam serve} and every
 * {@code loam repo} command take it before opening the folder. Thread-safe; close releases.
 */
public final class DataFolderLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataFolderLock.class);
  /** The lock file's name inside the folder. */
  public static final String FILE_NAME = ".loam.lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code folder} (creating it, owner-only, if needed) for {@code purpose} (e.g. "loam serve on port 3030").
   *
   * @throws StorageLockedException if another process (or another lock in this one) holds it
   */
  public static DataFolderLock acquire(Path folder, String purpose) {
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      OwnerOnlyFiles.createDirectories(folder);
      channel = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new StorageLockedException("the data folder " + folder.toAbsolutePath().normalize() + " is in use"
            + (holder.isEmpty() ? "" : " by " + holder) + "; stop that process first, or use another --data folder");
      }
      String me = purpose + " (pid " + ProcessHandle.current().pid() + ")";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      log.debug("locked {}", file);
      return new DataFolderLock(file, channel, lock);
    } catch (IOException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // already failing
      }
      throw new dev.loam.repo.spi.StorageException("could not lock the data folder " + folder.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
    }
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(512);
    int n = channel.read(buf, 0);
    return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        channel.truncate(0);
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      log.warn("could not release {}", file, e);
    }
  }
}
