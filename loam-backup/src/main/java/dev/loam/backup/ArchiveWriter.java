package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one archive: entries as they come, then the manifest and the trailer, under a temporary
 * name beside the final one; {@link #commit} forces the file, renames it over the final name
 * atomically and forces the folder. Used by one thread.
 *
 * <p>Until {@link #commit} returns nothing exists under the final name (a previous file there is
 * untouched); {@link #abort} deletes the temporary file. A process killed before the rename leaves
 * only the temporary file, named {@code .NAME.RANDOM.partial}, which never passes for an archive:
 * it lacks the trailer, and its name is not the one asked for.
 */
final class ArchiveWriter implements AutoCloseable {
  /** Opens the temporary file for writing: {@link FileChannel#open} except in tests that make the disk fail. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path path) throws IOException;
  }

  static final ChannelOpener FILES = path -> FileChannel.open(path, StandardOpenOption.WRITE);

  private static final int BUFFER = 1 << 16;

  private final Path out;
  private final Path temp;
  private final FileChannel channel;
  private final MessageDigest digest = ArchiveFormat.sha256();
  private final FrameCipher cipher;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final List<ArchiveEntry> written = new ArrayList<>();
  private long position;
  private long frames;
  private long dataBytes;
  private boolean done;

  private ArchiveWriter(Path out, Path temp, FileChannel channel, FrameCipher cipher) {
    this.out = out;
    this.temp = temp;
    this.channel = channel;
    this.cipher = cipher;
  }

  /** Starts an archive to become {@code out}, writing {@code header} (encoded) first. */
  static ArchiveWriter open(Path out, byte[] header, FrameCipher cipher, ChannelOpener opener) {
    Path dir = out.toAbsolutePath().getParent();
    Path temp;
    try {
      temp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".partial");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file in " + dir + ": " + e.getMessage(), e);
    }
    FileChannel channel;
    try {
      channel = opener.open(temp);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new UncheckedIOException("cannot open " + temp + ": " + e.getMessage(), e);
    }
    ArchiveWriter w = new ArchiveWriter(out.toAbsolutePath(), temp, channel, cipher);
    try {
      w.write(header);
    } catch (UncheckedIOException e) {
      w.abort();
      throw e;
    }
    return w;
  }

  /** Appends the entry of {@code document} holding {@code data} (FULL or INCREMENTAL) and records it for the manifest. */
  void entry(DocumentId document, boolean secure, ArchiveEntry.Kind kind, List<Bytes> heads, byte[] data) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream(data.length + 24);
    try (DataOutputStream o = new DataOutputStream(payload)) {
      Manifest.writeEntryHeader(o, document, secure, kind);
      o.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    frame(ArchiveFormat.FRAME_ENTRY, payload.toByteArray());
    dataBytes += data.length;
    written.add(new ArchiveEntry(document, secure, kind, heads, data.length, ArchiveFormat.sha256(data)));
  }

  /** Records an entry without data (UNCHANGED or REMOVED) for the manifest. */
  void listOnly(DocumentId document, boolean secure, ArchiveEntry.Kind kind, List<Bytes> heads) {
    written.add(new ArchiveEntry(document, secure, kind, heads, 0, ArchiveFormat.sha256(new byte[0])));
  }

  /** The entries so far, in the order given. */
  List<ArchiveEntry> entries() {
    return List.copyOf(written);
  }

  long dataBytes() {
    return dataBytes;
  }

  /**
   * Writes {@code manifest}, the trailer, forces the file, renames it to the final name and forces
   * the folder. Returns the file's size. On failure the temporary file is deleted.
   */
  long commit(Manifest manifest) {
    try {
      long manifestOffset = position;
      frame(ArchiveFormat.FRAME_MANIFEST, manifest.encode());
      write(ArchiveFormat.Trailer.hashedPart(manifestOffset, Math.toIntExact(frames)));
      byte[] sha = digest.digest();
      writeUnhashed(sha);
      writeUnhashed(ArchiveFormat.END_MAGIC);
      flush();
      channel.force(true);
      channel.close();
      try {
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename " + temp + " to " + out + " atomically", e);
      }
      done = true;
      forceFolder(out.getParent());
      return position;
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("writing " + out + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Deletes the temporary file unless committed; idempotent. */
  void abort() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // the file is deleted next; a close failure changes nothing
    }
    deleteQuietly(temp);
  }

  @Override
  public void close() {
    abort();
  }

  private void frame(byte type, byte[] plain) {
    byte[] stored = cipher.seal(type, frames, plain);
    if (stored.length > ArchiveFormat.MAX_FRAME) {
      throw new IllegalArgumentException("a frame of " + stored.length + " bytes is too large for an archive");
    }
    write(ByteBuffer.allocate(ArchiveFormat.FRAME_HEADER_LENGTH).put(type).putInt(stored.length).array());
    write(stored);
    frames++;
  }

  private void write(byte[] bytes) {
    digest.update(bytes);
    writeUnhashed(bytes);
  }

  private void writeUnhashed(byte[] bytes) {
    try {
      int off = 0;
      while (off < bytes.length) {
        int n = Math.min(buffer.remaining(), bytes.length - off);
        buffer.put(bytes, off, n);
        off += n;
        if (!buffer.hasRemaining()) {
          flush();
        }
      }
      position += bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + temp + " failed: " + e.getMessage(), e);
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  private static void forceFolder(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a folder; the rename is still atomic there
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to do: the name is a temporary one that never passes for an archive
    }
  }
}
