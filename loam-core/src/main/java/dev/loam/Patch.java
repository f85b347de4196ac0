package dev.loam;

import java.util.List;
import java.util.Map;

/**
 * One step of what changed in a document, for updating a view: the shapes of Automerge JS's
 * patches. {@code path} leads to the object that changed, ending with the key or index concerned
 * where the patch has one. A new object appears as a {@link Value.Obj} value whose contents follow
 * in later patches.
 */
public sealed interface Patch {
  List<Prop> path();

  /** A key or list element now holds {@code value}; {@code conflict} when other values are concurrent with it. */
  record Put(List<Prop> path, Value value, boolean conflict) implements Patch {}

  /** Values inserted into a list, starting at the index that ends {@code path}. */
  record Insert(List<Prop> path, List<Value> values, List<Boolean> conflicts, Map<String, ScalarValue> marks)
      implements Patch {}

  /** Text inserted at the index that ends {@code path}, with the marks it carries. */
  record SpliceText(List<Prop> path, String value, Map<String, ScalarValue> marks) implements Patch {}

  /** A map key removed, or {@code length} list elements (UTF-16 units of text) removed at the index that ends {@code path}. */
  record Delete(List<Prop> path, int length) implements Patch {}

  /** A counter incremented by {@code value}. */
  record Increment(List<Prop> path, long value) implements Patch {}

  /** Marks set on ranges of the text at {@code path}; a null value means the mark was removed there. */
  record MarkSet(List<Prop> path, List<Mark> marks) implements Patch {}

  /** A key or element became conflicted while its winning value stayed the same. */
  record Conflict(List<Prop> path) implements Patch {}
}
