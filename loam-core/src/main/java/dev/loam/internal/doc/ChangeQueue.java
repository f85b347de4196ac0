package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Changes that wait for dependencies, in arrival order, as Automerge's change queue: ready changes
 * leave it in topological order (Kahn's algorithm, first in first out), and a local change that
 * claims an actor's sequence number drops the queued branch it makes impossible.
 */
final class ChangeQueue {
  private final List<StoredChange> changes = new ArrayList<>();
  private final Set<ChangeHash> hashes = new HashSet<>();

  int size() {
    return changes.size();
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  boolean contains(ChangeHash hash) {
    return hashes.contains(hash);
  }

  /** Whether a queued change of {@code author} claims {@code seq}. */
  boolean claims(ActorId author, long seq) {
    for (StoredChange q : changes) {
      if (q.seq() == seq && q.author().equals(author)) {
        return true;
      }
    }
    return false;
  }

  /** The queued changes, in arrival order (a copy). */
  List<StoredChange> snapshot() {
    return new ArrayList<>(changes);
  }

  void addAll(Collection<StoredChange> batch) {
    for (StoredChange c : batch) {
      changes.add(c);
      hashes.add(c.hash());
    }
  }

  /** Replaces the queue's content with {@code content} (to undo a batch). */
  void restore(List<StoredChange> content) {
    changes.clear();
    hashes.clear();
    addAll(content);
  }

  /** Removes the first {@code n} queued changes (a document chunk's changes, applied in stored order). */
  void dropFirst(int n) {
    for (StoredChange c : changes.subList(0, n)) {
      hashes.remove(c.hash());
    }
    changes.subList(0, n).clear();
  }

  /**
   * Takes the changes that can apply off the queue, in the order Automerge applies them; a
   * dependency counts as present if {@code present} says so.
   */
  List<StoredChange> popReady(Predicate<ChangeHash> present) {
    int n = changes.size();
    int[] unsatisfied = new int[n];
    Map<ChangeHash, List<Integer>> waiting = new HashMap<>();
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      for (ChangeHash d : new LinkedHashSet<>(changes.get(i).deps())) {
        if (!present.test(d)) {
          unsatisfied[i]++;
          waiting.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
        }
      }
      if (unsatisfied[i] == 0) {
        ready.add(i);
      }
    }
    List<StoredChange> out = new ArrayList<>();
    boolean[] taken = new boolean[n];
    while (!ready.isEmpty()) {
      int i = ready.poll();
      taken[i] = true;
      out.add(changes.get(i));
      List<Integer> ws = waiting.remove(changes.get(i).hash());
      if (ws != null) {
        for (int w : ws) {
          if (--unsatisfied[w] == 0) {
            ready.add(w);
          }
        }
      }
    }
    List<StoredChange> rest = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!taken[i]) {
        rest.add(changes.get(i));
      }
    }
    restore(rest);
    return out;
  }

  /** Drops the queued changes of {@code author} at or after {@code seq}, and everything that depends on them. */
  void dropBranch(ActorId author, long seq) {
    if (changes.isEmpty()) {
      return; // the usual case: a local commit with nothing queued
    }
    Set<ChangeHash> removed = new HashSet<>();
    for (StoredChange c : changes) {
      if (c.author().equals(author) && c.seq() >= seq) {
        removed.add(c.hash());
      }
    }
    boolean grew = !removed.isEmpty();
    while (grew) {
      grew = false;
      for (StoredChange c : changes) {
        if (!removed.contains(c.hash()) && c.deps().stream().anyMatch(removed::contains)) {
          removed.add(c.hash());
          grew = true;
        }
      }
    }
    changes.removeIf(c -> removed.contains(c.hash()));
    hashes.removeAll(removed);
  }

  /**
   * The first hash on each path back from {@code start} that is neither applied ({@code applied})
   * nor queued, walking through the dependencies of queued changes; sorted.
   */
  List<ChangeHash> missingFrom(Collection<ChangeHash> start, Predicate<ChangeHash> applied) {
    Map<ChangeHash, StoredChange> byHash = new HashMap<>();
    for (StoredChange c : changes) {
      byHash.put(c.hash(), c);
    }
    TreeSet<ChangeHash> missing = new TreeSet<>();
    Set<ChangeHash> seen = new HashSet<>();
    ArrayDeque<ChangeHash> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      ChangeHash h = todo.pop();
      if (applied.test(h) || !seen.add(h)) {
        continue;
      }
      StoredChange q = byHash.get(h);
      if (q != null) {
        todo.addAll(q.deps());
      } else {
        missing.add(h);
      }
    }
    return List.copyOf(missing);
  }
}
