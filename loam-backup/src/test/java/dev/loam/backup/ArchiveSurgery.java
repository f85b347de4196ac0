package dev.loam.backup;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Takes a plain archive apart and puts it back together, written from docs/backup-format.md alone
 * (not from the code under test): for tests that damage an archive in one place and then make
 * every checksum that covers the place right again, so that a deeper check must find the damage.
 */
final class ArchiveSurgery {
  /** One frame: its type and payload. */
  record Frame(int type, byte[] payload) {}

  byte[] header;
  final List<Frame> frames = new ArrayList<>();

  static ArchiveSurgery parse(byte[] file) {
    ArchiveSurgery a = new ArchiveSurgery();
    a.header = Arrays.copyOf(file, 64);
    ByteBuffer b = ByteBuffer.wrap(file);
    int pos = 64;
    int end = file.length - 56;
    while (pos < end) {
      int type = file[pos];
      int length = b.getInt(pos + 1);
      a.frames.add(new Frame(type, Arrays.copyOfRange(file, pos + 5, pos + 5 + length)));
      pos += 5 + length;
    }
    return a;
  }

  /** The entry frames, in file order. */
  List<Frame> entries() {
    return frames.stream().filter(f -> f.type() == 1).toList();
  }

  Frame manifest() {
    return frames.get(frames.size() - 1);
  }

  /** The file with a trailer whose offset, count and SHA-256 fit the frames as they are now. */
  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    long manifestOffset = 0;
    for (Frame f : frames) {
      if (f.type() == 2) {
        manifestOffset = out.size();
      }
      out.write(f.type());
      out.writeBytes(ByteBuffer.allocate(4).putInt(f.payload().length).array());
      out.writeBytes(f.payload());
    }
    out.writeBytes(ByteBuffer.allocate(16).putLong(manifestOffset).putInt(frames.size()).putInt(0).array());
    out.writeBytes(sha256(out.toByteArray()));
    out.writeBytes("LOAMBEND".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Where the data of the entry in frame {@code frame} starts in its payload (after id length, id, flags, kind). */
  int dataStart(int frame) {
    return 1 + frames.get(frame).payload()[0] + 2;
  }

  /**
   * Replaces the data of the first entry frame with {@code data} of the same length, and makes
   * the manifest's first entry (the same document, in a full archive) agree on its SHA-256, so
   * that no checksum tells: only loading the data can.
   */
  void replaceFirstEntryData(byte[] data) {
    byte[] payload = frames.get(0).payload().clone();
    int start = dataStart(0);
    if (payload.length - start != data.length) {
      throw new IllegalArgumentException("the replacement must keep the entry's length");
    }
    System.arraycopy(data, 0, payload, start, data.length);
    frames.set(0, new Frame(1, payload));
    byte[] m = manifest().payload().clone();
    // after version(2) id(16) has-parent(1) parent(16) created(8) count(4): the first entry's
    // id length, id, flags, kind, head count, heads, length(8), then its SHA-256
    int entry = 2 + 16 + 1 + 16 + 8 + 4;
    int heads = ByteBuffer.wrap(m).getShort(entry + 1 + m[entry] + 2);
    int sha = entry + 1 + m[entry] + 2 + 2 + 32 * heads + 8;
    System.arraycopy(sha256(data), 0, m, sha, 32);
    frames.set(frames.size() - 1, new Frame(2, resealManifest(m)));
  }

  /** A manifest payload with its last 32 bytes set to the SHA-256 of the rest. */
  static byte[] resealManifest(byte[] payload) {
    byte[] out = payload.clone();
    byte[] sha = sha256(Arrays.copyOf(out, out.length - 32));
    System.arraycopy(sha, 0, out, out.length - 32, 32);
    return out;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
