package dev.loam;

/**
 * Writes to a document. Writes take effect at once for reads through the same object; they
 * become a change of the history when committed. A write that would change nothing (putting the
 * value already there, deleting a missing key) emits no operation, exactly as Automerge does, and
 * a commit with no operation records no change.
 *
 * <p>The {@code Transaction} a {@link Document#transact} body receives is its own object, valid
 * only while that body runs: once the body ends (or throws) every call on it throws {@link
 * InvalidOperationException}, so it cannot leak writes into a later transaction. A {@link
 * Document} is itself a {@code Transaction} whose writes go into its implicit transaction. Not
 * thread-safe.
 */
public interface Transaction extends ReadDoc {
  /** Puts a scalar into map {@code obj}. */
  void put(ObjId obj, String key, ScalarValue value);

  /** Puts a scalar string (JS {@code ImmutableString}); use {@link #putObject} with {@link ObjType#TEXT} for collaborative text. */
  default void put(ObjId obj, String key, String value) {
    put(obj, key, ScalarValue.of(value));
  }

  /** Puts a signed 64-bit integer into map {@code obj}. */
  default void put(ObjId obj, String key, long value) {
    put(obj, key, ScalarValue.of(value));
  }

  /** Puts a 64-bit float into map {@code obj}. */
  default void put(ObjId obj, String key, double value) {
    put(obj, key, ScalarValue.of(value));
  }

  /** Puts a boolean into map {@code obj}. */
  default void put(ObjId obj, String key, boolean value) {
    put(obj, key, ScalarValue.of(value));
  }

  /** Replaces the element at {@code index} of list {@code obj}. */
  void put(ObjId obj, int index, ScalarValue value);

  /** Creates an empty object at {@code key} of map {@code obj} and returns its id. */
  ObjId putObject(ObjId obj, String key, ObjType type);

  /** Creates an empty object in place of the element at {@code index} of list {@code obj} and returns its id. */
  ObjId putObject(ObjId obj, int index, ObjType type);

  /** Creates a text object at {@code key} holding {@code text}. */
  default ObjId putText(ObjId obj, String key, String text) {
    ObjId t = putObject(obj, key, ObjType.TEXT);
    spliceText(t, 0, 0, text);
    return t;
  }

  /** Inserts a scalar before {@code index} of list {@code obj} ({@code index == length} appends). */
  void insert(ObjId obj, int index, ScalarValue value);

  /** Inserts an empty object before {@code index} of list {@code obj} and returns its id. */
  ObjId insertObject(ObjId obj, int index, ObjType type);

  /** Deletes {@code key} of map {@code obj}; a missing key is ignored. */
  void delete(ObjId obj, String key);

  /** Deletes the element at {@code index} of list {@code obj}. */
  void delete(ObjId obj, int index);

  /** Adds {@code by} to the counter at {@code key}. */
  void increment(ObjId obj, String key, long by);

  /** Adds {@code by} to the counter at {@code index} of list {@code obj}. */
  void increment(ObjId obj, int index, long by);

  /** Deletes {@code deleteCount} elements at {@code index} of list {@code obj} and inserts {@code values} there. */
  void splice(ObjId obj, int index, int deleteCount, java.util.List<ScalarValue> values);

  /**
   * Deletes {@code deleteCount} UTF-16 units at {@code index} of text {@code obj} and inserts
   * {@code text} there. An index or range edge inside a surrogate pair behaves as in Automerge JS.
   */
  void spliceText(ObjId obj, int index, int deleteCount, String text);

  /** Marks the UTF-16 range [{@code start}, {@code end}) of text {@code obj} with {@code name = value}. */
  void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand);

  /** Removes mark {@code name} from [{@code start}, {@code end}). */
  void unmark(ObjId obj, int start, int end, String name, ExpandMark expand);

  /** Number of operations written so far and not yet committed. */
  int pendingOps();
}
