package dev.loam.internal.codec;

import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.TruncatedInputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a file into its chunks and verifies each checksum.
 *
 * <pre>
 * +-------------+---------+-------------------------------------------------------+
 * | magic       | 4       | 85 6F 4A 83                                           |
 * | checksum    | 4       | first 4 bytes of SHA-256(type || uLEB(len) || body)   |
 * | type        | 1       | 0 document, 1 change, 2 deflated change, 3 bundle     |
 * | len         | uLEB    | body length                                           |
 * | body        | len     |                                                       |
 * +-------------+---------+-------------------------------------------------------+
 * </pre>
 *
 * A deflated change (type 2) carries the checksum of its inflated type-1 form; the reader
 * inflates it and hands out that form.
 *
 * <p><b>Truncation.</b> When the input ends inside a chunk (in its header, or before its declared
 * body is complete) and everything read so far is valid, the reader throws {@link
 * TruncatedInputException} whose {@code completeLength()} is the length of the prefix made of
 * complete chunks. Any other malformation is a plain {@link DecodeException}. A corrupted length
 * that points past the end of the input looks exactly like a torn write, and is reported as one.
 */
public final class ChunkReader {
  static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

  private ChunkReader() {}

  /** Every chunk of {@code file}, in order, with the default inflation limit. */
  public static List<Chunk> readAll(byte[] file) {
    return readAll(file, Deflate.DEFAULT_LIMIT);
  }

  /**
   * Every chunk of {@code file}, in order.
   *
   * @param inflateLimit the largest a deflated change may grow when inflated
   * @throws TruncatedInputException if the input ends inside a chunk
   * @throws DecodeException for any other invalid input, including a bundle chunk (unsupported)
   */
  public static List<Chunk> readAll(byte[] file, long inflateLimit) {
    List<Chunk> chunks = new ArrayList<>();
    ByteReader in = ByteReader.of(file);
    while (!in.atEnd()) {
      chunks.add(readOne(in, inflateLimit));
    }
    return chunks;
  }

  /** The single chunk that makes up {@code bytes} exactly. */
  public static Chunk readSingle(byte[] bytes) {
    ByteReader in = ByteReader.of(bytes);
    Chunk c = readOne(in, Deflate.DEFAULT_LIMIT);
    if (!in.atEnd()) {
      throw in.error("the end of the chunk");
    }
    return c;
  }

  private static Chunk readOne(ByteReader in, long inflateLimit) {
    long start = in.offset();
    int startPos = in.position();
    byte[] buf = in.array();
    for (int i = 0; i < 4; i++) {
      if (in.atEnd()) {
        throw truncated(in, "the rest of the magic bytes", start);
      }
      if (in.readByte() != (MAGIC[i] & 0xff)) {
        throw new DecodeException(start + i, "the chunk magic bytes 85 6F 4A 83");
      }
    }
    if (in.remaining() < 5) {
      throw truncated(in, "a checksum and chunk type", start);
    }
    byte[] checksum = in.readBytes(4, "checksum");
    long typeAt = in.offset();
    int type = in.readByte();
    if (type == 3) {
      throw new DecodeException(typeAt, "a document or change chunk (bundle chunks, type 3, are unsupported)");
    }
    if (type > 3) {
      throw new DecodeException(typeAt, "a chunk type of 0, 1 or 2, found " + type);
    }
    long lenAt = in.offset();
    long length;
    try {
      length = in.readUleb();
    } catch (DecodeException e) {
      if (in.atEnd() && isUnfinishedLeb(buf, (int) (lenAt - start) + startPos, in.position())) {
        throw truncated(in, "the rest of the chunk length", start);
      }
      throw e;
    }
    if (length < 0 || length > in.remaining()) {
      throw truncated(in, "a body of " + Long.toUnsignedString(length) + " bytes, found " + in.remaining(), start);
    }
    int headerEnd = in.position();
    ByteReader body = in.slice(length, "chunk body");
    long storedLength = in.offset() - start;
    byte[] chunk;
    int bodyOffset;
    ChangeHash hash;
    ChunkType chunkType;
    if (type == 2) {
      byte[] inflated =
          Deflate.inflate(buf, body.position(), body.remaining(), inflateLimit, body.offset(), "deflated change");
      ByteWriter w = new ByteWriter(inflated.length + 20);
      w.write(MAGIC).write(checksum).writeByte(1).writeUleb(inflated.length);
      bodyOffset = w.size();
      w.write(inflated);
      chunk = w.toByteArray();
      hash = hashOf(chunk, 8, chunk.length);
      chunkType = ChunkType.DEFLATED_CHANGE;
    } else {
      chunk = Arrays.copyOfRange(buf, startPos, in.position());
      bodyOffset = headerEnd - startPos;
      hash = hashOf(chunk, 8, chunk.length);
      chunkType = type == 0 ? ChunkType.DOCUMENT : ChunkType.CHANGE;
    }
    byte[] h = hash.toByteArray();
    if (!Arrays.equals(h, 0, 4, checksum, 0, 4)) {
      throw new DecodeException(start + 4, "a checksum matching the chunk (bad checksum)");
    }
    return new Chunk(chunkType, start, storedLength, chunk, bodyOffset, hash);
  }

  private static boolean isUnfinishedLeb(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if ((buf[i] & 0x80) == 0) {
        return false;
      }
    }
    return true;
  }

  private static TruncatedInputException truncated(ByteReader in, String expected, long chunkStart) {
    return new TruncatedInputException(in.offset(), expected + " (the input ends inside a chunk)", chunkStart);
  }

  /** SHA-256 over {@code bytes[from, to)}. */
  static ChangeHash hashOf(byte[] bytes, int from, int to) {
    MessageDigest md = sha256();
    md.update(bytes, from, to - from);
    return ChangeHash.of(md.digest());
  }

  // MessageDigest.getInstance looks the provider up every time; one digest per thread is reused
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  });

  /** This thread's SHA-256 digest, ready for input: every user finishes with {@code digest()}, which resets it. */
  static MessageDigest sha256() {
    return SHA256.get();
  }

  /** A complete type-0 or type-1 chunk around {@code body}, with its checksum. */
  static byte[] wrap(int type, byte[] body, int bodyLen) {
    return wrapHashed(type, body, bodyLen).chunk();
  }

  /** A chunk and its hash (SHA-256 over type, length and body: a change's hash). */
  record Wrapped(byte[] chunk, ChangeHash hash) {}

  /** Wraps {@code body} in a chunk header and hashes it once, for both the checksum and the hash. */
  static Wrapped wrapHashed(int type, byte[] body, int bodyLen) {
    return wrap(type, body, bodyLen, true);
  }

  /** The hash of the chunk {@link #wrapHashed} would make, without making it. */
  static ChangeHash hashOnly(int type, byte[] body, int bodyLen) {
    byte[] header = new byte[11];
    header[0] = (byte) type;
    int end = Leb128.putUnsigned(header, 1, bodyLen);
    MessageDigest md = sha256();
    md.update(header, 0, end);
    md.update(body, 0, bodyLen);
    return ChangeHash.of(md.digest());
  }

  /** The length of a chunk with a body of {@code bodyLen} bytes. */
  static int chunkLength(int bodyLen) {
    return 9 + Leb128.unsignedSize(bodyLen) + bodyLen;
  }

  /** As {@link #wrapHashed}; without {@code hash} the checksum stays zero and the hash is null. */
  static Wrapped wrap(int type, byte[] body, int bodyLen, boolean hash) {
    int lenBytes = Leb128.unsignedSize(bodyLen);
    byte[] chunk = new byte[9 + lenBytes + bodyLen];
    System.arraycopy(MAGIC, 0, chunk, 0, 4);
    chunk[8] = (byte) type;
    int at = Leb128.putUnsigned(chunk, 9, bodyLen);
    System.arraycopy(body, 0, chunk, at, bodyLen);
    if (!hash) {
      return new Wrapped(chunk, null);
    }
    MessageDigest md = sha256();
    md.update(chunk, 8, chunk.length - 8);
    byte[] h = md.digest();
    System.arraycopy(h, 0, chunk, 4, 4);
    return new Wrapped(chunk, ChangeHash.of(h));
  }
}
