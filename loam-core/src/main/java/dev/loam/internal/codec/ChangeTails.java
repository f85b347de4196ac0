package dev.loam.internal.codec;

import dev.loam.ChangeHash;
import dev.loam.internal.change.ChangeMeta;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The bodies of consecutive changes without their deps, which a change's bytes begin with: all
 * of a change but its deps depends on its own ops alone, so tails can be written apart (on
 * another thread) from the hashes that each dependent change's deps need, in order. Not thread
 * safe; {@link #clear} keeps the buffer.
 */
public final class ChangeTails {
  private final ByteWriter buf = new ByteWriter(1 << 16);
  private int[] ends = new int[64];
  private int size;
  /** The chunk's type, body length and deps, hashed before a tail. */
  private byte[] head = new byte[21 + 4 * ChangeHash.LENGTH];

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
   * The hash and chunk length of tail {@code i} with {@code deps} (sorted) before it: what
   * {@link ChangeChunk#encodeRows} gives for the same change with {@link ChangeChunk.Output#HASH}.
   */
  public ChangeChunk.Encoded hash(int i, List<ChangeHash> deps) {
    int from = i == 0 ? 0 : ends[i - 1];
    int len = ends[i] - from;
    int bodyLen = Leb128.unsignedSize(deps.size()) + deps.size() * ChangeHash.LENGTH + len;
    int headLen = 21 + deps.size() * ChangeHash.LENGTH;
    if (head.length < headLen) {
      head = new byte[Math.max(headLen, head.length * 2)];
    }
    head[0] = (byte) ChunkType.CHANGE.code();
    int at = Leb128.putUnsigned(head, 1, bodyLen);
    at = Leb128.putUnsigned(head, at, deps.size());
    for (ChangeHash d : deps) {
      d.copyTo(head, at);
      at += ChangeHash.LENGTH;
    }
    MessageDigest md = ChunkReader.sha256();
    md.update(head, 0, at);
    md.update(buf.array(), from, len);
    return new ChangeChunk.Encoded(ChangeHash.of(md.digest()), null, ChunkReader.chunkLength(bodyLen));
  }
}
