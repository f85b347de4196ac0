package dev.loam;

/** One step of a path into a document: a map key or a sequence index. */
public sealed interface Prop {
  static Prop key(String key) {
    return new Key(key);
  }

  static Prop index(int index) {
    return new Index(index);
  }

  record Key(String key) implements Prop {
    @Override
    public String toString() {
      return key;
    }
  }

  record Index(int index) implements Prop {
    @Override
    public String toString() {
      return Integer.toString(index);
    }
  }
}
