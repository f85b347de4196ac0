package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.secure.crypto.Digests;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The head of one Automerge change chunk, read without decoding its ops: what a reader checks
 * before it applies anything (author actor, dependencies, hash against bytes).
 *
 * <pre>
 * +-------------+---------+--------------------------------------------------------+
 * | magic       | 4       | 85 6f 4a 83                                            |
 * | checksum    | 4       | first 4 bytes of SHA-256(type || uLEB(len) || body)    |
 * | type        | 1       | 1 (a change; deflated changes are not accepted here)   |
 * | length      | uLEB    | the body's length, exactly the rest of the chunk       |
 * | deps        | uLEB n  | n x 32-byte change hashes                              |
 * | actor       | uLEB n  | n bytes: the change's author                           |
 * | seq ...     |         | the rest, checked by the document when applied         |
 * +-------------+---------+--------------------------------------------------------+
 * </pre>
 *
 * @param hash SHA-256 of type, length and body (the change's hash)
 * @param actor the change's author actor
 * @param deps the hashes it depends on
 */
record ChangeHeader(ChangeHash hash, ActorId actor, List<ChangeHash> deps) {
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
  private static final int HEAD = 8;
  private static final int MAX_ACTOR = 1024;

  /**
   * Reads the head of {@code chunk}, which must be exactly one type-1 change chunk whose checksum
   * matches its bytes.
   *
   * @throws EnvelopeOpenException otherwise
   */
  static ChangeHeader read(byte[] chunk) {
    try {
      return parse(chunk);
    } catch (MalformedItemException e) {
      throw new EnvelopeOpenException("a malformed change chunk: " + e.getMessage(), e);
    }
  }

  private static ChangeHeader parse(byte[] chunk) {
    Codec.Reader in = new Codec.Reader(chunk, 0);
    if (!Arrays.equals(in.fixed(MAGIC.length, "magic"), MAGIC)) {
      throw new EnvelopeOpenException("a change chunk without the Automerge magic bytes");
    }
    byte[] checksum = in.fixed(4, "checksum");
    if (in.u8("chunk type") != 1) {
      throw new EnvelopeOpenException("a chunk that is not an uncompressed change chunk");
    }
    if (in.varint(Integer.MAX_VALUE, "change chunk length") != in.remaining()) {
      throw new EnvelopeOpenException("a change chunk whose length is not its size");
    }
    byte[] hash = Digests.sha256(Arrays.copyOfRange(chunk, HEAD, chunk.length));
    if (!MessageDigest.isEqual(Arrays.copyOf(hash, 4), checksum)) {
      throw new EnvelopeOpenException("a change whose hash does not match its bytes (bad checksum)");
    }
    int depCount = in.varint(in.remaining() / ChangeHash.LENGTH, "number of dependencies");
    List<ChangeHash> deps = new ArrayList<>(depCount);
    for (int i = 0; i < depCount; i++) {
      deps.add(ChangeHash.of(in.fixed(ChangeHash.LENGTH, "dependency")));
    }
    ActorId actor = ActorId.of(in.fixed(in.varint(MAX_ACTOR, "actor length"), "actor"));
    return new ChangeHeader(ChangeHash.of(hash), actor, List.copyOf(deps));
  }
}
