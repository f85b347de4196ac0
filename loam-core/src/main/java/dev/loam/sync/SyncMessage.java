package dev.loam.sync;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.internal.codec.WireReader;
import dev.loam.internal.codec.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One message of Automerge's sync protocol. Immutable.
 *
 * <pre>
 * +------+-------------+-------------+-------------------------------+------------------+----------+
 * | type | heads       | need        | have                          | changes          | flags    |
 * | 0x42 | uLEB n,     | uLEB n,     | uLEB n, each:                 | uLEB n, each:    | optional:|
 * | 0x43 | n*32 bytes  | n*32 bytes  |  uLEB m, m*32 bytes lastSync, |  uLEB len, bytes | uLEB len,|
 * |      |             |             |  uLEB len, bloom bytes        |                  | bytes    |
 * +------+-------------+-------------+-------------------------------+------------------+----------+
 * </pre>
 *
 * <p>{@code 0x42} (v1) carries one change chunk per entry; {@code 0x43} (v2) carries a single
 * entry, either a whole document chunk or concatenated change chunks. Receivers concatenate all
 * entries and load them incrementally either way. Bytes after the flags section are ignored, as
 * Automerge does.
 *
 * @param version v1 ({@code 0x42}) or v2 ({@code 0x43})
 * @param heads the sender's heads
 * @param need hashes the sender asks for explicitly
 * @param have summaries of what the sender has
 * @param changes chunks for the recipient to load (concatenated)
 * @param flags the flags section, or empty when the message has none (a peer older than 2.1.10)
 */
public record SyncMessage(
    Version version,
    List<ChangeHash> heads,
    List<ChangeHash> need,
    List<Have> have,
    List<Bytes> changes,
    Optional<MessageFlags> flags) {

  /** The message format, named by its first byte. */
  public enum Version {
    V1(0x42),
    V2(0x43);

    private final int typeByte;

    Version(int typeByte) {
      this.typeByte = typeByte;
    }

    /** The first byte of a message of this version. */
    public int typeByte() {
      return typeByte;
    }
  }

  public SyncMessage {
    heads = List.copyOf(heads);
    need = List.copyOf(need);
    have = List.copyOf(have);
    changes = List.copyOf(changes);
  }

  /** All change bytes, concatenated: what the recipient loads. */
  public byte[] joinedChanges() {
    long total = 0;
    for (Bytes b : changes) {
      total += b.size();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("changes larger than 2 GiB");
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    for (Bytes b : changes) {
      byte[] part = b.toByteArray();
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** The message in Automerge's wire format. */
  public byte[] encode() {
    WireWriter out = new WireWriter(256);
    out.writeByte(version.typeByte);
    writeHashes(out, heads);
    writeHashes(out, need);
    out.writeUleb(have.size());
    for (Have h : have) {
      writeHashes(out, h.lastSync());
      out.writePrefixed(h.bloom().encode());
    }
    out.writeUleb(changes.size());
    for (Bytes c : changes) {
      out.writePrefixed(c.toByteArray());
    }
    flags.ifPresent(f -> out.writePrefixed(f.encode()));
    return out.toByteArray();
  }

  static void writeHashes(WireWriter out, List<ChangeHash> hashes) {
    out.writeUleb(hashes.size());
    for (ChangeHash h : hashes) {
      out.write(h.toByteArray());
    }
  }

  /**
   * Decodes a v1 or v2 message.
   *
   * @throws DecodeException with the offset of the first byte that is not a valid message
   */
  public static SyncMessage decode(byte[] bytes) {
    WireReader in = WireReader.of(bytes);
    int type = in.readByte();
    Version version;
    if (type == 0x42) {
      version = Version.V1;
    } else if (type == 0x43) {
      version = Version.V2;
    } else {
      throw new DecodeException(0, "a sync message type byte 0x42 or 0x43, found 0x" + Integer.toHexString(type));
    }
    List<ChangeHash> heads = readHashes(in, "heads");
    List<ChangeHash> need = readHashes(in, "need");
    int haveCount = count(in, 2, "have entries");
    List<Have> have = new ArrayList<>(haveCount);
    for (int i = 0; i < haveCount; i++) {
      List<ChangeHash> lastSync = readHashes(in, "lastSync");
      int len = in.readLength("the Bloom filter length");
      have.add(new Have(lastSync, BloomFilter.read(in.slice(len, "the Bloom filter"))));
    }
    int changeCount = count(in, 1, "changes");
    List<Bytes> changes = new ArrayList<>(changeCount);
    for (int i = 0; i < changeCount; i++) {
      int len = in.readLength("a change length");
      changes.add(Bytes.wrap(in.readBytes(len, "a change")));
    }
    Optional<MessageFlags> flags = Optional.empty();
    if (!in.atEnd()) {
      int len = in.readLength("the flags section length");
      flags = Optional.of(MessageFlags.parse(in.readBytes(len, "the flags section")));
    }
    return new SyncMessage(version, heads, need, have, changes, flags);
  }

  /** A uLEB count of items of at least {@code minItemBytes} each, bounded by the bytes left. */
  private static int count(WireReader in, int minItemBytes, String what) {
    return (int) in.readUleb(0, in.remaining() / minItemBytes, "a count of " + what);
  }

  static List<ChangeHash> readHashes(WireReader in, String what) {
    int n = (int) in.readUleb(0, in.remaining() / ChangeHash.LENGTH, "a count of " + what + " hashes");
    List<ChangeHash> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(ChangeHash.of(in.readBytes(ChangeHash.LENGTH, what + " hash")));
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    long bytes = 0;
    for (Bytes b : changes) {
      bytes += b.size();
    }
    return "SyncMessage[" + version + ", heads=" + heads + ", need=" + need + ", have=" + have.size()
        + ", changes=" + changes.size() + " (" + bytes + " bytes), flags=" + flags + "]";
  }
}
