package dev.loam.internal.codec;

import dev.loam.ScalarValue;
import dev.loam.internal.change.ChangeOp;
import java.util.List;

/**
 * The ops of one change as the change-chunk encoder reads them, by position, with actors as the
 * change's local indexes (0 is the author). Lets the encoder write straight from a document's
 * op rows when rebuilding changes, without an object per op.
 */
public interface ChangeOpSource {
  int size();

  /** -1 for the root object. */
  int objActor(int i);

  long objCtr(int i);

  /** The map key, or null for a sequence op. */
  String key(int i);

  /** -1 for the head of the sequence (or a map op). */
  int elemActor(int i);

  long elemCtr(int i);

  boolean insert(int i);

  int action(int i);

  ScalarValue value(int i);

  int predCount(int i);

  int predActor(int i, int k);

  long predCtr(int i, int k);

  boolean expand(int i);

  String markName(int i);

  /**
   * Whether two threads may read this source at once while it is being encoded (it changes
   * nothing as it is read), so that a large change's columns can be written on two cores.
   */
  default boolean concurrentReads() {
    return false;
  }

  /** A list of change ops as a source. */
  static ChangeOpSource of(List<ChangeOp> ops) {
    return new ChangeOpSource() {
      @Override public int size() { return ops.size(); }
      @Override public int objActor(int i) { return ops.get(i).objActor(); }
      @Override public long objCtr(int i) { return ops.get(i).objCtr(); }
      @Override public String key(int i) { return ops.get(i).key(); }
      @Override public int elemActor(int i) { return ops.get(i).elemActor(); }
      @Override public long elemCtr(int i) { return ops.get(i).elemCtr(); }
      @Override public boolean insert(int i) { return ops.get(i).insert(); }
      @Override public int action(int i) { return ops.get(i).action(); }
      @Override public ScalarValue value(int i) { return ops.get(i).value(); }
      @Override public int predCount(int i) { return ops.get(i).predCount(); }
      @Override public int predActor(int i, int k) { return ops.get(i).predActor()[k]; }
      @Override public long predCtr(int i, int k) { return ops.get(i).predCtr()[k]; }
      @Override public boolean expand(int i) { return ops.get(i).expand(); }
      @Override public String markName(int i) { return ops.get(i).markName(); }
    };
  }
}
