package dev.loam.repo.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A storage key: a path of non-empty strings, as automerge-repo's {@code StorageKey} is an array
 * of strings ({@code [documentId, "incremental", sha256hex]}). Used whole to name a chunk and as a
 * prefix to name a range; a prefix matches whole components ({@code ["ab"]} is not a prefix of
 * {@code ["abc"]}). Components are well-formed Unicode (no lone surrogates, which UTF-8 cannot
 * carry). The empty key is only a prefix (of everything). Immutable and thread-safe.
 */
public record StorageKey(List<String> parts) {
  /** The empty key: a prefix of every key, never a chunk's name. */
  public static final StorageKey EMPTY = new StorageKey(List.of());

  public StorageKey {
    parts = List.copyOf(parts);
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("storage key components are never empty: " + parts);
      }
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < p.length() && Character.isLowSurrogate(p.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException("storage key component with a lone surrogate at " + i);
        }
      }
    }
  }

  /** The key of these components, in order. */
  public static StorageKey of(String... parts) {
    return new StorageKey(List.of(parts));
  }

  /** The number of components. */
  public int size() {
    return parts.size();
  }

  /** Whether this is {@link #EMPTY}. */
  public boolean isEmpty() {
    return parts.isEmpty();
  }

  /** The component at {@code index}. */
  public String get(int index) {
    return parts.get(index);
  }

  /** True if this key's first components are {@code prefix}'s components (every key starts with itself). */
  public boolean startsWith(StorageKey prefix) {
    return prefix.size() <= size() && parts.subList(0, prefix.size()).equals(prefix.parts);
  }

  /** This key followed by {@code more} components. */
  public StorageKey append(String... more) {
    List<String> all = new ArrayList<>(parts);
    all.addAll(List.of(more));
    return new StorageKey(all);
  }

  @Override
  public String toString() {
    return parts.toString();
  }
}
