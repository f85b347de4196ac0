package dev.loam.secure;

import java.util.ArrayList;
import java.util.List;

/** Every ordering of a short list (n! of them), for delivery-order tests. */
final class Permutations {
  private Permutations() {}

  static <T> List<List<T>> of(List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T first = rest.remove(i);
      for (List<T> tail : of(rest)) {
        List<T> one = new ArrayList<>();
        one.add(first);
        one.addAll(tail);
        out.add(one);
      }
    }
    return out;
  }
}
