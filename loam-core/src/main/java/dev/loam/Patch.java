package dev.loam;

import java.util.List;
import java.util.Map;

/**
 * One step of what changed in a document, for updating a view: the shapes of Automerge JS's
 * patches. {@code path} leads to the object that changed, ending with the key or index concerned
 * where the patch has one. A new object appears as a {@link Value.Obj} value whose contents follow
 * in later patches.
 *
 * <p>A list of patches is applied in order; each index counts the patches before it. Patches come
 * object by object, in ascending object-id order (so a parent's patches precede its children's),
 * and within an object in key or element order — the order Automerge JS's {@code diff} uses.
 * Immutable.
 */
public sealed interface Patch {
  /** The path from the root to the object this patch changes. */
  List<Prop> path();

  /** A key or list element now holds {@code value}; {@code conflict} when other values are concurrent with it. */
  record Put(List<Prop> path, Value value, boolean conflict) implements Patch {}

  /**
   * Values inserted into a list, starting at the index that ends {@code path}; {@code conflicts}
   * says, per value, whether other values are concurrent with it. {@code marks} is empty in diffs
   * (JS's list inserts carry none).
   */
  record Insert(List<Prop> path, List<Value> values, List<Boolean> conflicts, Map<String, ScalarValue> marks)
      implements Patch {}

  /** Text inserted at the index that ends {@code path}, with the marks it carries (empty when none, where JS omits them). */
  record SpliceText(List<Prop> path, String value, Map<String, ScalarValue> marks) implements Patch {}

  /** A map key removed ({@code length} 1), or {@code length} list elements (UTF-16 units of text) removed at the index that ends {@code path}. */
  record Delete(List<Prop> path, int length) implements Patch {}

  /** A counter incremented by {@code value}. */
  record Increment(List<Prop> path, long value) implements Patch {}

  /**
   * Marks that changed on ranges of existing text at {@code path} (here {@code path} ends with
   * the text itself), by name then position; a {@link ScalarValue.Null} value means the mark was
   * removed there.
   */
  record MarkSet(List<Prop> path, List<Mark> marks) implements Patch {}

  /** A key or element became conflicted while its winning value stayed the same. */
  record Conflict(List<Prop> path) implements Patch {}
}
