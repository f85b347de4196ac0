package dev.loam.internal.codec;

import dev.loam.ChangeHash;
import dev.loam.internal.change.ChangeMeta;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The bodies of consecutive changes without their deps, which a change's bytes begin with: all
 * of a change but its deps depends on its own ops alone, so tails can be written apart (on
 * another thread) from the hashes that each dependent change's deps need, in order. Not thread
 * safe; {@link #clear} keeps the buffer.
 */
public final class ChangeTails {
  private final ByteWriter buf = new ByteWriter(256);
  private int[] ends = new int[64];
  private int size;
  /** The chunk's type, body length and dep count, hashed before the deps and the tail. */
  private final byte[] head = new byte[21];

  public void clear() {
    buf.reset();
    size = 0;
  }

  public int size() {
    return size;
  }

  /** Appends the tail of the change {@code meta} (whose deps are not read) with ops from {@code source}. */
  public void append(ChangeMeta meta, ChangeOpSource source) {
    ChangeChunk.writeTail(meta, source, buf);
    if (size == ends.length) {
      ends = Arrays.copyOf(ends, size * 2);
    }
    ends[size++] = buf.size();
  }

  /**
   * Hashes tail {@code i} as the change whose deps are the {@code depCount} hashes (32 bytes each,
   * sorted) at the start of {@code deps}: the same hash as {@link ChangeChunk#encodeRows} gives
   * that change. The hash goes into {@code digest} (32 bytes); returns the length of the change's
   * chunk. Allocates nothing.
   */
  public int hash(int i, byte[] deps, int depCount, byte[] digest) {
    int from = i == 0 ? 0 : ends[i - 1];
    int len = ends[i] - from;
    int depLen = depCount * ChangeHash.LENGTH;
    int bodyLen = Leb128.unsignedSize(depCount) + depLen + len;
    head[0] = (byte) ChunkType.CHANGE.code();
    int at = Leb128.putUnsigned(head, 1, bodyLen);
    at = Leb128.putUnsigned(head, at, depCount);
    MessageDigest md = ChunkReader.sha256();
    md.update(head, 0, at);
    md.update(deps, 0, depLen);
    md.update(buf.array(), from, len);
    try {
      md.digest(digest, 0, ChangeHash.LENGTH);
    } catch (DigestException e) {
      throw new IllegalArgumentException("a digest array of 32 bytes", e);
    }
    return ChunkReader.chunkLength(bodyLen);
  }
}
