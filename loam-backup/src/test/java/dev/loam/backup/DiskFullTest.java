package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.Repo;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that runs out of disk at any byte (or whose final force fails) throws, leaves nothing
 * under the final name (a previous archive there is untouched), and leaves no temporary file.
 */
class DiskFullTest {
  @TempDir Path dir;

  @Test
  void aDiskThatFillsUpAtAnyPointLeavesNoArchiveAndNoTemporaryFile() throws IOException {
    try (Repo source = Fixtures.repo(new InMemoryStorageAdapter())) {
      for (int i = 0; i < 5; i++) {
        Fixtures.put(source.create(), "text", "x".repeat(20_000 * (i + 1)));
      }
      Path out = dir.resolve("backup.loambak");
      Path reference = dir.resolve("reference.loambak");
      Backup.create(BackupSource.of(source), reference, CreateOptions.full());
      long size = Files.size(reference);
      byte[] previous = "an older archive".getBytes();
      Files.write(out, previous);
      for (long room = 0; room < size; room += 1 + size / 37) {
        long r = room;
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> Creator.create(BackupSource.of(source), out, CreateOptions.full(), path -> new FullDisk(path, r, false)));
        assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        assertArrayEquals(previous, Files.readAllBytes(out), "room " + room);
        assertOnly(out, reference);
      }
      assertThrows(UncheckedIOException.class,
          () -> Creator.create(BackupSource.of(source), out, CreateOptions.full(), path -> new FullDisk(path, Long.MAX_VALUE, true)));
      assertArrayEquals(previous, Files.readAllBytes(out), "a failed force");
      assertOnly(out, reference);
      // and with room, the same run succeeds and replaces the old file
      Creator.create(BackupSource.of(source), out, CreateOptions.full(), ArchiveWriter.FILES);
      assertTrue(Backup.verify(List.of(out), Optional.empty()).ok());
    }
  }

  private void assertOnly(Path... files) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(files).stream().map(Path::getFileName).sorted().toList(), s.map(Path::getFileName).sorted().toList());
    }
  }

  /** A file channel on a disk with {@code room} bytes free; {@code failForce} makes fsync fail too. */
  private static final class FullDisk extends FileChannel {
    private final FileChannel inner;
    private long room;
    private final boolean failForce;

    FullDisk(Path path, long room, boolean failForce) throws IOException {
      this.inner = FileChannel.open(path, StandardOpenOption.WRITE);
      this.room = room;
      this.failForce = failForce;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (src.remaining() > room) {
        ByteBuffer part = src.slice().limit((int) room);
        inner.write(part);
        src.position(src.position() + (int) room);
        room = 0;
        throw new IOException("No space left on device");
      }
      room -= src.remaining();
      return inner.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (failForce) {
        throw new IOException("Input/output error (fsync)");
      }
      inner.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return inner.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return inner.read(dsts, offset, length);
    }

    @Override
    public long position() throws IOException {
      return inner.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      inner.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return inner.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      inner.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return inner.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      throw new IOException("not used by the writer");
    }

    @Override
    protected void implCloseChannel() throws IOException {
      inner.close();
    }
  }
}
