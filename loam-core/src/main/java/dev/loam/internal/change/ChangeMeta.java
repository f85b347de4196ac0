package dev.loam.internal.change;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The metadata of one change: everything a change chunk holds apart from its operations. Decoding
 * a chunk yields it ({@link StoredChange#meta()}), and every encoder of a change takes it.
 *
 * <p>The lists are taken as given, not copied (a change is encoded on every load, so this record
 * allocates nothing); whoever builds one hands the lists over and never changes them afterwards.
 *
 * @param actors the author first, then the other actors the ops refer to (sorted by bytes in a
 *     canonical change)
 * @param seq the change's number among its author's changes, from 1
 * @param startOp the counter of its first op
 * @param time whole seconds since the Unix epoch; 0 means none
 * @param message the commit message, null for none (an empty message is stored as none)
 * @param deps the hashes of the changes it depends on (sorted in a canonical change)
 * @param extraBytes bytes after the op columns, kept for forward compatibility
 */
public record ChangeMeta(
    List<ActorId> actors,
    long seq,
    long startOp,
    long time,
    @Nullable String message,
    List<ChangeHash> deps,
    Bytes extraBytes) {

  public ChangeMeta {
    if (actors.isEmpty()) {
      throw new IllegalArgumentException("a change has an author: actors must not be empty");
    }
    if (message != null && message.isEmpty()) {
      message = null;
    }
  }

  public ActorId author() {
    return actors.get(0);
  }
}
