package dev.loam.internal.change;

import dev.loam.ScalarValue;
import org.jspecify.annotations.Nullable;

/**
 * One operation of a change, with actors as indexes into the change's actor list (index 0 is the
 * author). The op's own id is {@code (startOp + position in the change, author)}.
 *
 * <ul>
 *   <li>Object: {@code objActor == -1} (and {@code objCtr == 0}) is the root.
 *   <li>Key: {@code key != null} for a map op; otherwise the element {@code (elemCtr, elemActor)},
 *       where {@code elemActor == -1, elemCtr == 0} is the head of the sequence.
 *   <li>Preds: parallel arrays sorted by op id (counter, then actor bytes).
 * </ul>
 *
 * @param action one of {@link Actions}
 * @param value the scalar for set, inc (the delta) and mark-begin; {@link ScalarValue#NULL} otherwise
 * @param markName the mark name of a mark-begin op, null otherwise
 */
public record ChangeOp(
    long objCtr,
    int objActor,
    @Nullable String key,
    long elemCtr,
    int elemActor,
    boolean insert,
    int action,
    ScalarValue value,
    long[] predCtr,
    int[] predActor,
    boolean expand,
    @Nullable String markName) {

  public boolean isMapOp() {
    return key != null;
  }

  public int predCount() {
    return predCtr.length;
  }
}
