package dev.loam.secure;

import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The membership ops of one document and their evaluation (rules 1, 2 and 4 for ops). Not
 * thread-safe: its {@link SecureLog} confines it.
 *
 * <h2>Implementation notes</h2>
 * Ops are numbered in arrival order, which is causal (an op is stored only once its parents are),
 * so the strict ancestors of op i are a {@link BitSet} over smaller numbers, computed once when it
 * arrives (the OR of its parents' sets). The evaluation order is topological: (depth, op id).
 * <ol>
 * <li><b>Causal pass</b>, once per op when it arrives: the op must be permitted by its issuer's
 *     level at its strict past, counting every stored op (all of which passed this check). An op
 *     that fails is rejected for good: its past never changes.
 * <li><b>Removal pass</b>: the removes sorted by (issuer seniority, depth, id); a remove whose
 *     issuer is the target of an already effective remove concurrent with it is void.
 * <li><b>Final pass</b> in topological order: the causal check again, counting only ops found
 *     valid and removes found effective, and an op other than a remove is void if an effective
 *     remove of its issuer is concurrent with it (for removes, pass 2 decided that). Removes
 *     that turn out void here stop counting as effective, and the pass repeats until the
 *     effective set is stable (once in practice).
 * </ol>
 * A member's level at a set S of ops: the level of the last (topological order) valid add of
 * them in S that no counted remove of them in S undoes; a remove undoes every add it does not
 * causally precede. The root always has {@code ADMIN}.
 *
 * <p>Cost: an arriving op costs O(n/64) for its ancestor set and O(k) for its checks (k = ops
 * about its issuer); a remove, or an admin add that changes the seniority of someone who has
 * removed, re-runs passes 2 and 3: O(n log n + n k). Memory: n^2/8 bytes of ancestor sets (12.5 MB
 * for 10,000 ops).
 */
final class OpGraph {
  private final List<MembershipOp> ops = new ArrayList<>();
  private final Map<OpId, Integer> index = new HashMap<>();
  private final List<BitSet> ancestors = new ArrayList<>();
  private final List<Integer> depths = new ArrayList<>();
  private final Map<Ed25519PublicKey, About> about = new HashMap<>();
  private BitSet valid = new BitSet();
  private BitSet effective = new BitSet();
  private boolean stale;
  private final Ed25519PublicKey root;
  private final Comparator<Integer> topological =
      Comparator.<Integer>comparingInt(this::depth).thenComparing(i -> op(i).id());

  /** The ops that add or remove one member, and the removes it issued, by op number. */
  private static final class About {
    final List<Integer> adds = new ArrayList<>();
    final List<Integer> removes = new ArrayList<>();
    final List<Integer> removesIssued = new ArrayList<>();
    int seniority = Integer.MAX_VALUE;
  }

  /** Counts which ops and removes a level computation may use. */
  private record View(BitSet valid, BitSet removes) {}

  OpGraph(Genesis genesis) {
    root = genesis.root().signingKey();
    store(genesis);
    about(root).seniority = -1;
    valid.set(0);
  }

  int size() {
    return ops.size();
  }

  MembershipOp op(int i) {
    return ops.get(i);
  }

  Optional<Integer> indexOf(OpId id) {
    return Optional.ofNullable(index.get(id));
  }

  Genesis genesis() {
    return (Genesis) ops.get(0);
  }

  Ed25519PublicKey root() {
    return root;
  }

  BitSet ancestors(int i) {
    return ancestors.get(i);
  }

  int depth(int i) {
    return depths.get(i);
  }

  boolean isValid(int i) {
    return valid.get(i);
  }

  boolean isEffectiveRemove(int i) {
    return effective.get(i) && valid.get(i);
  }

  /** The op numbers of the removes of {@code member} (any validity). */
  List<Integer> removesOf(Ed25519PublicKey member) {
    About a = about.get(member);
    return a == null ? List.of() : a.removes;
  }

  /** The members who were ever added (with their member ids), plus the root. */
  Map<Ed25519PublicKey, MemberId> knownMembers() {
    Map<Ed25519PublicKey, MemberId> out = new HashMap<>();
    out.put(root, genesis().root());
    for (MembershipOp op : ops) {
      if (op instanceof Add add) {
        out.putIfAbsent(add.member().signingKey(), add.member());
      }
    }
    return out;
  }

  /** The topological order of the evaluation: depth, then op id. */
  Comparator<Integer> topological() {
    return topological;
  }

  /** The set of {@code heads} and all their ancestors. */
  BitSet closure(List<Integer> heads) {
    BitSet s = new BitSet();
    for (int h : heads) {
      s.or(ancestors.get(h));
      s.set(h);
    }
    return s;
  }

  /** The final level of {@code member} in the op set {@code set}. */
  Optional<Level> level(Ed25519PublicKey member, BitSet set) {
    return levelIn(member, set, new View(valid, effectiveValid()));
  }

  private BitSet effectiveValid() {
    BitSet e = (BitSet) effective.clone();
    e.and(valid);
    return e;
  }

  /**
   * Checks {@code op} (its parents are stored) by the causal pass. Returns the reason it is
   * invalid, or empty if it may be stored.
   */
  Optional<String> causalCheck(MembershipOp op, List<Integer> parents) {
    BitSet past = new BitSet();
    for (int p : parents) {
      past.or(ancestors.get(p));
      past.set(p);
    }
    BitSet all = new BitSet();
    all.set(0, ops.size());
    return check(op, past, new View(all, all), true);
  }

  /**
   * Stores an op that passed {@link #causalCheck} and re-evaluates what it may change (or, if
   * {@code defer}, leaves that to {@link #settle}); returns whether it is valid.
   */
  boolean add(MembershipOp op, boolean defer) {
    int i = store(op);
    About issuer = about(op.issuer());
    boolean full = false;
    switch (op) {
      case Genesis g -> throw new IllegalStateException("a second genesis");
      case Add add -> {
        About target = about(add.member().signingKey());
        target.adds.add(i);
        if (add.level() == Level.ADMIN && depths.get(i) < target.seniority) {
          target.seniority = depths.get(i);
          full = !target.removesIssued.isEmpty();
        }
      }
      case Remove remove -> {
        about(remove.member()).removes.add(i);
        issuer.removesIssued.add(i);
        full = true;
      }
      case Rotate rotate -> { }
    }
    if (defer || stale) {
      stale = true;
    } else if (full) {
      evaluate();
    } else if (check(op, ancestors.get(i), new View(valid, effectiveValid()), false).isEmpty()
        && notCutOff(i, op.issuer(), effective)) {
      valid.set(i);
    }
    return valid.get(i);
  }

  private int store(MembershipOp op) {
    int i = ops.size();
    BitSet past = new BitSet();
    int depth = 0;
    for (OpId p : op.parents()) {
      int pi = index.get(p);
      past.or(ancestors.get(pi));
      past.set(pi);
      depth = Math.max(depth, depths.get(pi) + 1);
    }
    ops.add(op);
    index.put(op.id(), i);
    ancestors.add(past);
    depths.add(depth);
    about(op.issuer());
    return i;
  }

  private About about(Ed25519PublicKey key) {
    return about.computeIfAbsent(key, k -> new About());
  }

  /** Evaluates what {@link #add} deferred. */
  void settle() {
    if (stale) {
      stale = false;
      evaluate();
    }
  }

  /** Passes 2 and 3 over every op. */
  private void evaluate() {
    BitSet effective0 = removalPass();
    List<Integer> order = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      order.add(i);
    }
    order.sort(topological());
    BitSet counted = effective0;
    for (int round = 0; ; round++) {
      BitSet v = finalPass(order, effective0, counted);
      BitSet next = (BitSet) effective0.clone();
      next.and(v);
      if (next.equals(counted) || round == 16) {
        valid = v;
        effective = next;
        return;
      }
      counted = next;
    }
  }

  private BitSet removalPass() {
    List<Integer> removes = new ArrayList<>();
    for (About a : about.values()) {
      removes.addAll(a.removesIssued);
    }
    removes.sort(Comparator.<Integer>comparingInt(i -> about(ops.get(i).issuer()).seniority).thenComparing(topological()));
    BitSet out = new BitSet();
    for (int r : removes) {
      if (notCutOff(r, ops.get(r).issuer(), out)) {
        out.set(r);
      }
    }
    return out;
  }

  private BitSet finalPass(List<Integer> order, BitSet effective0, BitSet counted) {
    BitSet v = new BitSet();
    v.set(0);
    BitSet removes = new BitSet();
    View view = new View(v, removes);
    for (int i : order) {
      MembershipOp op = ops.get(i);
      // The removal pass already settled which removes a concurrent removal of their issuer voids.
      if (i == 0 || (op instanceof Remove ? !effective0.get(i) : !notCutOff(i, op.issuer(), counted))) {
        continue;
      }
      if (check(op, ancestors.get(i), view, false).isEmpty()) {
        v.set(i);
        if (op instanceof Remove) {
          removes.set(i);
        }
      }
    }
    return v;
  }

  /** Whether no remove in {@code removes} of {@code issuer} is concurrent with op {@code i}. */
  private boolean notCutOff(int i, Ed25519PublicKey issuer, BitSet removes) {
    for (int r : removesOf(issuer)) {
      if (r != i && removes.get(r) && !ancestors.get(i).get(r) && !ancestors.get(r).get(i)) {
        return false;
      }
    }
    return true;
  }

  private Optional<String> check(MembershipOp op, BitSet past, View view, boolean causal) {
    Optional<Level> level = levelIn(op.issuer(), past, view);
    switch (op) {
      case Genesis g -> {
        return Optional.of("a document has one genesis");
      }
      case Add add -> {
        if (!level.equals(Optional.of(Level.ADMIN))) {
          return Optional.of("only an admin may add members");
        }
        if (add.member().signingKey().equals(root)) {
          return Optional.of("the root admin's level never changes");
        }
        if (causal && add.grant().isPresent() && !isEpochIn(add.grant().get().epoch(), past)) {
          return Optional.of("the granted epoch is not a genesis or rotate before the add");
        }
      }
      case Remove remove -> {
        if (!level.equals(Optional.of(Level.ADMIN))) {
          return Optional.of("only an admin may remove members");
        }
        if (remove.member().equals(root)) {
          return Optional.of("the root admin is never removed");
        }
        if (levelIn(remove.member(), past, view).isEmpty()) {
          return Optional.of("the removed key is not a member");
        }
      }
      case Rotate rotate -> {
        if (level.isEmpty() || !level.get().atLeast(Level.EDIT)) {
          return Optional.of("only an editor or admin may rotate the read key");
        }
        for (MembershipOp.Link link : rotate.previous()) {
          if (causal && !isEpochIn(link.epoch(), past)) {
            return Optional.of("a chained epoch is not a genesis or rotate before the rotate");
          }
        }
      }
    }
    return Optional.empty();
  }

  private boolean isEpochIn(OpId epoch, BitSet past) {
    Integer e = index.get(epoch);
    return e != null && past.get(e) && (ops.get(e) instanceof Genesis || ops.get(e) instanceof Rotate);
  }

  private Optional<Level> levelIn(Ed25519PublicKey member, BitSet set, View view) {
    if (member.equals(root)) {
      return Optional.of(Level.ADMIN);
    }
    About a = about.get(member);
    if (a == null) {
      return Optional.empty();
    }
    int best = -1;
    for (int add : a.adds) {
      if (!set.get(add) || !view.valid().get(add) || (best >= 0 && topological.compare(add, best) < 0)) {
        continue;
      }
      boolean undone = false;
      for (int r : a.removes) {
        if (set.get(r) && view.removes().get(r) && !ancestors.get(add).get(r)) {
          undone = true;
          break;
        }
      }
      if (!undone) {
        best = add;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(((Add) ops.get(best)).level());
  }
}
