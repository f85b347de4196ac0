package dev.loam.cli;

import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.LoadResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Reads and writes Automerge files for the commands. */
final class DocFiles {
  /** The empty document, byte for byte as Automerge writes it. */
  static final byte[] EMPTY_DOCUMENT = HexFormat.of().parseHex("856f4a83b81a9544000400000000");

  private static final SecureRandom RANDOM = new SecureRandom();

  private DocFiles() {}

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException("no such file: " + file);
    } catch (AccessDeniedException e) {
      throw new CliException("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads an Automerge file: any sequence of document and change chunks. */
  static Document load(Path file) {
    byte[] bytes = read(file);
    try {
      return Document.load(bytes);
    } catch (DecodeException e) {
      throw new CliException(file + " is not a valid Automerge file: " + e.getMessage(), e);
    }
  }

  /**
   * Loads an Automerge file keeping changes whose dependencies are missing (they wait in the
   * document's queue, and {@link #encode} writes them back as trailing change chunks), where {@link
   * #load} rejects such a file as Automerge's {@code load} does. A file that ends inside a chunk is
   * still rejected.
   */
  static Document loadKeepingOrphans(Path file) {
    byte[] bytes = read(file);
    try {
      Document doc = Document.create();
      LoadResult r = doc.loadIncremental(bytes);
      if (r.truncated()) {
        throw new CliException(file + " is not a valid Automerge file: it ends inside the chunk at byte " + r.truncatedAt());
      }
      return doc;
    } catch (DecodeException e) {
      throw new CliException(file + " is not a valid Automerge file: " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of {@code doc} as an Automerge file: one compact document chunk, then any changes
   * still waiting for dependencies, as Automerge's {@code save()} writes it.
   */
  static byte[] encode(Document doc) {
    return doc.save();
  }

  static void save(Document doc, Path file) {
    writeAtomically(file, encode(doc));
  }

  /**
   * Replaces {@code file} by {@code bytes} atomically: they are written to a new hidden file in the
   * same folder, flushed to disk, then renamed over {@code file}. Readers see the old content or
   * the new, never a mix; concurrent writers each use their own temporary file, and the last
   * rename wins. A replaced file keeps its permissions; a new one gets the umask's.
   */
  static void writeAtomically(Path file, byte[] bytes) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    boolean created = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        created = true;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      keepPermissions(target, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      created = false;
      syncFolder(dir);
    } catch (NoSuchFileException e) {
      throw new CliException("cannot write " + file + ": no such folder " + dir);
    } catch (AccessDeniedException e) {
      throw new CliException("cannot write " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (created) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and named after its target
        }
      }
    }
  }

  private static void keepPermissions(Path target, Path tmp) {
    try {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    } catch (IOException | UnsupportedOperationException e) {
      // a new file, or a file system without POSIX permissions: keep the defaults
    }
  }

  /** Makes the rename durable where the platform allows opening a folder (Linux does). */
  private static void syncFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported here: the rename is still atomic, only perhaps not yet durable
    }
  }
}
