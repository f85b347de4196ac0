package dev.loam.internal.change;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import java.util.List;

/**
 * A decoded change chunk: its metadata, its operations, and the exact bytes it was decoded from
 * (or encoded to), whose SHA-256 is its hash.
 *
 * @param actors the author first, then the other actors the ops refer to, sorted by bytes
 * @param deps sorted ascending
 * @param message null when empty
 * @param chunk the whole uncompressed change chunk (type 1), header included
 * @param extraBytes bytes after the op columns, kept for forward compatibility
 */
public record StoredChange(
    ChangeHash hash,
    List<ActorId> actors,
    long seq,
    long startOp,
    long time,
    String message,
    List<ChangeHash> deps,
    List<ChangeOp> ops,
    byte[] extraBytes,
    byte[] chunk) {

  private static final byte[] NO_BYTES = new byte[0];

  public StoredChange {
    // nearly every change has no extra bytes: share one empty array rather than keep one per change
    if (extraBytes.length == 0) {
      extraBytes = NO_BYTES;
    }
  }

  public ActorId author() {
    return actors.get(0);
  }

  /** The counter of the last op; {@code startOp - 1} for a change without ops. */
  public long maxOp() {
    return startOp + ops.size() - 1;
  }
}
