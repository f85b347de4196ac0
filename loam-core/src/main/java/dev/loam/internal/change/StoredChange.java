package dev.loam.internal.change;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A decoded change chunk: its metadata, its operations, and the exact bytes it was decoded from
 * (or encoded to), whose SHA-256 is its hash.
 *
 * <p>Two stored changes are equal when their chunks are the same bytes (the metadata and ops are
 * decoded from them). The chunk stays a {@code byte[]}, not {@link dev.loam.Bytes}, because the
 * engine hands it on without copying; never change its bytes.
 *
 * @param meta the metadata; the accessors below read it
 * @param chunk the whole uncompressed change chunk (type 1), header included
 */
public record StoredChange(ChangeHash hash, ChangeMeta meta, List<ChangeOp> ops, byte[] chunk) {
  private static final byte[] NO_BYTES = new byte[0];

  public ActorId author() {
    return meta.author();
  }

  /** The author first, then the other actors the ops refer to, sorted by bytes. */
  public List<ActorId> actors() {
    return meta.actors();
  }

  public long seq() {
    return meta.seq();
  }

  public long startOp() {
    return meta.startOp();
  }

  public long time() {
    return meta.time();
  }

  /** The message, null when empty. */
  public @Nullable String message() {
    return meta.message();
  }

  /** The dependencies, sorted ascending. */
  public List<ChangeHash> deps() {
    return meta.deps();
  }

  /** A copy of the bytes after the op columns; nearly every change has none, and then one shared empty array. */
  public byte[] extraBytes() {
    return meta.extraBytes().size() == 0 ? NO_BYTES : meta.extraBytes().toByteArray();
  }

  /** The counter of the last op; {@code startOp - 1} for a change without ops. */
  public long maxOp() {
    return meta.startOp() + ops.size() - 1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StoredChange c && hash.equals(c.hash) && Arrays.equals(chunk, c.chunk);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "StoredChange[" + hash.hex() + ", seq " + meta.seq() + " of " + meta.author().hex() + ", " + ops.size()
        + " ops, " + chunk.length + " bytes]";
  }
}
