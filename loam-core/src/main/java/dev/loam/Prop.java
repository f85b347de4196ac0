package dev.loam;

/** One step of a path into a document: a map key or a sequence index. */
public sealed interface Prop {
  /** The step into map key {@code key}. */
  static Prop key(String key) {
    return new Key(key);
  }

  /** The step into sequence index {@code index}. */
  static Prop index(int index) {
    return new Index(index);
  }

  /** A step into a map by key; prints as the key. */
  record Key(String key) implements Prop {
    @Override
    public String toString() {
      return key;
    }
  }

  /** A step into a list or text by index (UTF-16 code units in text); prints as the number. */
  record Index(int index) implements Prop {
    @Override
    public String toString() {
      return Integer.toString(index);
    }
  }
}
