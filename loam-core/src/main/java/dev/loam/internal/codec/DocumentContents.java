package dev.loam.internal.codec;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import java.util.List;

/**
 * Everything a document chunk holds, in the order it is written: the input of the document
 * encoder. Actor references are indexes into {@link #actors} (sorted by bytes); -1 is the root
 * object, or the head of a sequence.
 *
 * @param actors every actor, sorted by bytes
 * @param heads sorted
 * @param headIndexes for each head in order, the row of its change
 * @param changes one row per change, dependencies first
 * @param ops every op except deletes, in document order (root object first, then objects by op
 *     id; map keys by UTF-8 bytes then op id; sequence elements in list order, each insert op
 *     followed by the ops that update it, by op id)
 */
public record DocumentContents(
    List<ActorId> actors, List<ChangeHash> heads, int[] headIndexes, ChangeRows changes, OpRows ops) {

  /**
   * Change metadata as parallel arrays. Change {@code i}'s dependencies are the change rows {@code
   * depRow[depStart[i] .. depStart[i + 1])}, in the change's own (hash-sorted) dep order.
   */
  public record ChangeRows(
      int count,
      int[] actor,
      long[] seq,
      long[] maxOp,
      long[] time,
      String[] message,
      int[] depStart,
      int[] depRow,
      byte[][] extraBytes) {}

  /** Ops as parallel arrays; successors of each op sorted by op id. */
  public record OpRows(
      int count,
      long[] idCtr,
      int[] idActor,
      long[] objCtr,
      int[] objActor,
      String[] key,
      long[] elemCtr,
      int[] elemActor,
      boolean[] insert,
      int[] action,
      ScalarValue[] value,
      long[][] succCtr,
      int[][] succActor,
      boolean[] expand,
      String[] markName) {}
}
