package dev.loam;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * A set of change hashes naming one state of a document: the changes with no dependents. Always
 * sorted ascending by bytes and free of duplicates. Immutable.
 */
public final class Heads implements Iterable<ChangeHash> {
  /** The heads of an empty document. */
  public static final Heads EMPTY = new Heads(List.of());

  private final List<ChangeHash> hashes;

  private Heads(List<ChangeHash> sorted) {
    this.hashes = sorted;
  }

  /** The heads made of {@code hashes}, sorted, duplicates dropped. */
  public static Heads of(ChangeHash... hashes) {
    return of(Arrays.asList(hashes));
  }

  /** The heads made of {@code hashes}, sorted, duplicates dropped. */
  public static Heads of(Collection<ChangeHash> hashes) {
    if (hashes.isEmpty()) {
      return EMPTY;
    }
    if (hashes instanceof List<ChangeHash> list && strictlyAscending(list)) {
      return new Heads(List.copyOf(list)); // already the set, in order (an immutable list is not copied)
    }
    return new Heads(List.copyOf(new TreeSet<>(hashes)));
  }

  private static boolean strictlyAscending(List<ChangeHash> list) {
    ChangeHash prev = null;
    for (ChangeHash h : list) {
      if (prev != null && prev.compareTo(h) >= 0) {
        return false;
      }
      prev = java.util.Objects.requireNonNull(h);
    }
    return true;
  }

  /** Parses hex hashes separated by commas, white space or newlines (so the output of {@code loam doc heads} reads back). */
  public static Heads parse(String text) {
    List<ChangeHash> out = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        out.add(ChangeHash.fromHex(part));
      }
    }
    return of(out);
  }

  /** The hashes, sorted ascending by bytes (unmodifiable). */
  public List<ChangeHash> hashes() {
    return hashes;
  }

  /** The number of hashes. */
  public int size() {
    return hashes.size();
  }

  /** Whether there are no hashes (the state of an empty document). */
  public boolean isEmpty() {
    return hashes.isEmpty();
  }

  /** Whether {@code hash} is one of these heads. */
  public boolean contains(ChangeHash hash) {
    return hashes.contains(hash);
  }

  @Override
  public Iterator<ChangeHash> iterator() {
    return hashes.iterator();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Heads h && hashes.equals(h.hashes);
  }

  @Override
  public int hashCode() {
    return hashes.hashCode();
  }

  /** The hashes as hex, comma separated. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (ChangeHash h : hashes) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(h.hex());
    }
    return sb.toString();
  }
}
