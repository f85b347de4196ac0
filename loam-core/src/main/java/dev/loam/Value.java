package dev.loam;

/** What a key or index holds: a {@link ScalarValue} or an {@link Obj object}. */
public sealed interface Value permits ScalarValue, Value.Obj {

  /** A reference to a nested object of the given type. */
  record Obj(ObjType type, ObjId id) implements Value {}
}
