package dev.loam.backup;

import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts a document back to a point in time: the largest causally complete set of its changes whose
 * times are all at or before the instant, and its heads. A change's time is its author's clock
 * when it was committed, in whole seconds ({@link Change#time()}), so a change is in the set if
 * its time is at most the instant's second and every change it depends on is in the set; a change
 * with no time (0) counts as before any instant. Stateless.
 *
 * <p>Implementation notes: one pass over the changes in a topological order (Kahn's algorithm over
 * the dependency graph), O(changes + dependencies); the cut document is {@link Document#fork(Heads)}.
 */
final class AsOf {
  private AsOf() {}

  /** {@code doc} as of {@code time}, or empty if none of its changes is at or before it. */
  static Optional<Document> cut(Document doc, Instant time) {
    List<Change> changes = doc.changes();
    long second = time.getEpochSecond();
    Map<ChangeHash, Change> byHash = new HashMap<>();
    Map<ChangeHash, List<ChangeHash>> dependents = new HashMap<>();
    Map<ChangeHash, Integer> waiting = new HashMap<>();
    for (Change c : changes) {
      byHash.put(c.hash(), c);
    }
    ArrayDeque<ChangeHash> ready = new ArrayDeque<>();
    for (Change c : changes) {
      int n = 0;
      for (ChangeHash d : c.deps()) {
        if (byHash.containsKey(d)) {
          dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(c.hash());
          n++;
        }
      }
      waiting.put(c.hash(), n);
      if (n == 0) {
        ready.add(c.hash());
      }
    }
    Set<ChangeHash> in = new HashSet<>();
    while (!ready.isEmpty()) {
      Change c = byHash.get(ready.poll());
      boolean depsIn = true;
      for (ChangeHash d : c.deps()) {
        depsIn &= in.contains(d);
      }
      if (depsIn && c.time() <= second) {
        in.add(c.hash());
      }
      for (ChangeHash next : dependents.getOrDefault(c.hash(), List.of())) {
        if (waiting.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (in.isEmpty()) {
      return Optional.empty();
    }
    if (in.size() == changes.size()) {
      return Optional.of(doc);
    }
    Set<ChangeHash> heads = new HashSet<>(in);
    for (ChangeHash h : in) {
      byHash.get(h).deps().forEach(heads::remove);
    }
    return Optional.of(doc.fork(Heads.of(heads)));
  }
}
