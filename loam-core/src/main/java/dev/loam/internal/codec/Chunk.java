package dev.loam.internal.codec;

import dev.loam.ChangeHash;
import java.util.Arrays;

/**
 * One chunk of a file, its checksum verified.
 *
 * <p>For a deflated change (type 2) the body is already inflated and {@link #bytes()} is the
 * equivalent type-1 chunk, so a change's bytes and hash never depend on how it was stored.
 *
 * @param type what the chunk holds
 * @param offset where the chunk starts in the input
 * @param storedLength how many input bytes the chunk took, header included
 * @param bytes the whole chunk, header included (type-1 form for a deflated change)
 * @param bodyOffset where the body starts inside {@link #bytes()}
 * @param hash SHA-256 over type, length and body (a change's hash; for a document chunk, over the body as written)
 */
public record Chunk(
    ChunkType type, long offset, long storedLength, byte[] bytes, int bodyOffset, ChangeHash hash) {

  /** The chunk's body. */
  public byte[] body() {
    return Arrays.copyOfRange(bytes, bodyOffset, bytes.length);
  }

  ByteReader bodyReader() {
    return ByteReader.of(bytes, bodyOffset, bytes.length, bodyOffset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c && type == c.type && offset == c.offset && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Chunk[" + type + " at " + offset + ", " + storedLength + " bytes, " + hash + "]";
  }
}
