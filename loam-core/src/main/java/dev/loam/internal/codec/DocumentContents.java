package dev.loam.internal.codec;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import java.util.List;

/**
 * Everything a document chunk holds, in the order it is written: the input of the document
 * encoder, as views over the engine's own tables (no copy per op). Actor references are indexes into {@link #actors} (sorted by bytes); -1 is the root
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
   * Change metadata by row. Change {@code i}'s dependencies are change rows, {@code depCount(i)}
   * of them, in the change's own (hash-sorted) dep order. Read in row order by the encoder.
   */
  public interface ChangeRows {
    int count();

    int actor(int i);

    long seq(int i);

    long maxOp(int i);

    long time(int i);

    /** Null for none. */
    String message(int i);

    int depCount(int i);

    int dep(int i, int k);

    byte[] extraBytes(int i);
  }

  /**
   * Ops by row; successors of each op sorted by op id. Read in row order by the encoder (a source
   * may prepare a row's successors when it is first asked about them).
   */
  public interface OpRows {
    int count();

    long idCtr(int i);

    int idActor(int i);

    long objCtr(int i);

    /** -1 for the root object. */
    int objActor(int i);

    /** Null for a sequence op. */
    String key(int i);

    long elemCtr(int i);

    /** -1 for the head of a sequence (or a map op). */
    int elemActor(int i);

    boolean insert(int i);

    int action(int i);

    ScalarValue value(int i);

    int succCount(int i);

    long succCtr(int i, int k);

    int succActor(int i, int k);

    boolean expand(int i);

    String markName(int i);

    /**
     * Whether two threads may read this source at once, one asking only for ids, objects, keys,
     * insert flags and actions, the other only for values, successors, expand flags and mark
     * names, each in row order (so a large document's op columns can be written on two cores).
     */
    default boolean concurrentReads() {
      return false;
    }
  }
}
