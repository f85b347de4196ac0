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
import org.jspecify.annotations.Nullable;

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
 *     effective set is stable (once in practice). A remove whose issuer lacks the level here is
 *     left out of pass 2 and both passes run again (so a puppet's remove voids no honest one);
 *     they also run again when seniority, recomputed from the valid adds only, changes (so a void
 *     add cannot make anyone senior).
 * </ol>
 * A member's level at a set S of ops: the level of the last (topological order) valid add of
 * them in S that no counted remove of them in S undoes; a remove undoes every add it does not
 * causally precede. The root always has {@code ADMIN}.
 *
 * <p>Cost: an arriving op costs O(n/64) for its ancestor set and O(k) for its checks (k = ops
 * about its issuer); a remove concurrent with an op of its target or a remove of its issuer, or an
 * admin add of someone who has removed (it may change their seniority), re-runs passes 2 and 3:
 * O(n log n + n k). Memory: n^2/8 bytes of ancestor sets (12.5 MB for 10,000 ops).
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
  /** effective AND valid, cached until either changes. */
  private @Nullable BitSet effectiveValid;
  private final Ed25519PublicKey root;
  private final Comparator<Integer> topological =
      Comparator.<Integer>comparingInt(this::depth).thenComparing(i -> op(i).id());

  /** The ops that add or remove one member, and the removes it issued, by op number. */
  private static final class About {
    final List<Integer> adds = new ArrayList<>();
    final List<Integer> removes = new ArrayList<>();
    final List<Integer> removesIssued = new ArrayList<>();
    final List<Integer> issued = new ArrayList<>();
  }

  /** Counts which ops and removes a level computation may use. */
  private record View(BitSet valid, BitSet removes) {}

  OpGraph(Genesis genesis) {
    root = genesis.root().signingKey();
    store(genesis);
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

  /** The root and every key ever added, in the topological order of their first add. */
  List<Ed25519PublicKey> knownMembers() {
    List<Integer> adds = new ArrayList<>();
    for (About a : about.values()) {
      if (!a.adds.isEmpty()) {
        adds.add(a.adds.stream().min(topological).orElseThrow());
      }
    }
    adds.sort(topological);
    List<Ed25519PublicKey> out = new ArrayList<>(List.of(root));
    for (int i : adds) {
      Ed25519PublicKey key = ((Add) ops.get(i)).member().signingKey();
      if (!key.equals(root)) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * The member id and level {@code member} has in {@code set}: the root's from the genesis, anyone
   * else's from the add that gives them their level (an add names both keys).
   */
  Optional<Map.Entry<MemberId, Level>> membership(Ed25519PublicKey member, BitSet set) {
    if (member.equals(root)) {
      return Optional.of(Map.entry(genesis().root(), Level.ADMIN));
    }
    return winningAdd(member, set, new View(valid, effectiveValid()))
        .map(i -> (Add) ops.get(i)).map(a -> Map.entry(a.member(), a.level()));
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
    if (effectiveValid == null) {
      BitSet e = (BitSet) effective.clone();
      e.and(valid);
      effectiveValid = e;
    }
    return effectiveValid;
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
    return check(op, past, causalView(), true);
  }

  /** The level of {@code member} in {@code set} counting every stored op (as the causal pass does): never changes. */
  Optional<Level> causalLevel(Ed25519PublicKey member, BitSet set) {
    return levelIn(member, set, causalView());
  }

  private View causalView() {
    BitSet all = new BitSet();
    all.set(0, ops.size());
    return new View(all, all);
  }

  /**
   * Stores an op that passed {@link #causalCheck} and re-evaluates what it may change (or, if
   * {@code defer}, leaves that to {@link #settle}); returns whether it is valid.
   */
  boolean add(MembershipOp op, boolean defer) {
    int i = store(op);
    effectiveValid = null;
    About issuer = about(op.issuer());
    boolean full = false;
    switch (op) {
      case Genesis g -> throw new IllegalStateException("a second genesis");
      case Add add -> {
        About target = about(add.member().signingKey());
        target.adds.add(i);
        // An admin add may change the seniority of someone who has removed.
        full = add.level() == Level.ADMIN && !target.removesIssued.isEmpty();
      }
      case Remove remove -> {
        about(remove.member()).removes.add(i);
        issuer.removesIssued.add(i);
        // When every op of its target and every remove of its issuer precede it, a remove can
        // neither cut an op off nor be voided or void another remove: checking it alone is enough.
        About target = about(remove.member());
        full = !allBefore(target.issued, i) || !allBefore(issuer.removes, i);
      }
      case Rotate rotate -> { }
    }
    if (defer || stale) {
      stale = true;
    } else if (full) {
      evaluate();
    } else if (check(op, ancestors.get(i), new View(valid, effectiveValid()), false).isEmpty()
        && (op instanceof Remove || notCutOff(i, op.issuer(), effective))) {
      valid.set(i);
      if (op instanceof Remove) {
        effective.set(i);
      }
      effectiveValid = null;
    }
    return valid.get(i);
  }

  private boolean allBefore(List<Integer> opNumbers, int i) {
    for (int o : opNumbers) {
      if (o != i && !ancestors.get(i).get(o)) {
        return false;
      }
    }
    return true;
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
    about(op.issuer()).issued.add(i);
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

  /**
   * Passes 2 and 3 over every op. A remove whose issuer turns out to lack the authority (its add
   * was void, say a removed admin's backdated puppet) is left out of pass 2 and both passes run
   * again, so that it voids nobody's concurrent removes.
   */
  private void evaluate() {
    List<Integer> order = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      order.add(i);
    }
    order.sort(topological);
    BitSet excluded = new BitSet();
    BitSet basis = new BitSet();
    basis.set(0, ops.size());
    for (int outer = 0; ; outer++) {
      Map<Ed25519PublicKey, Integer> seniority = seniority(basis);
      BitSet effective0 = removalPass(excluded, seniority);
      BitSet counted = effective0;
      BitSet unauthorized = new BitSet();
      BitSet v;
      for (int round = 0; ; round++) {
        unauthorized.clear();
        v = finalPass(order, effective0, counted, unauthorized);
        BitSet next = (BitSet) effective0.clone();
        next.and(v);
        boolean stable = next.equals(counted);
        counted = next;
        if (stable || round == 16) {
          break;
        }
      }
      unauthorized.andNot(excluded);
      if ((unauthorized.isEmpty() && seniority(v).equals(seniority)) || outer == 16) {
        valid = v;
        effective = counted;
        effectiveValid = null;
        return;
      }
      excluded.or(unauthorized);
      basis = v;
    }
  }

  /**
   * The seniority of every issuer of a remove: the depth of its first add as admin among the ops in
   * {@code basis} (first every stored op, then the valid ones), the root -1.
   */
  private Map<Ed25519PublicKey, Integer> seniority(BitSet basis) {
    Map<Ed25519PublicKey, Integer> out = new HashMap<>();
    about.forEach((key, a) -> {
      if (!a.removesIssued.isEmpty()) {
        int best = key.equals(root) ? -1 : Integer.MAX_VALUE;
        for (int add : a.adds) {
          if (basis.get(add) && ((Add) ops.get(add)).level() == Level.ADMIN) {
            best = Math.min(best, depths.get(add));
          }
        }
        out.put(key, best);
      }
    });
    return out;
  }

  private BitSet removalPass(BitSet excluded, Map<Ed25519PublicKey, Integer> seniority) {
    List<Integer> removes = new ArrayList<>();
    for (About a : about.values()) {
      for (int r : a.removesIssued) {
        if (!excluded.get(r)) {
          removes.add(r);
        }
      }
    }
    removes.sort(Comparator.<Integer>comparingInt(i -> seniority.get(ops.get(i).issuer())).thenComparing(topological));
    BitSet out = new BitSet();
    for (int r : removes) {
      if (notCutOff(r, ops.get(r).issuer(), out)) {
        out.set(r);
      }
    }
    return out;
  }

  /** Pass 3; records in {@code unauthorized} the removes whose issuer lacks the level for them. */
  private BitSet finalPass(List<Integer> order, BitSet effective0, BitSet counted, BitSet unauthorized) {
    BitSet v = new BitSet();
    v.set(0);
    BitSet removes = new BitSet();
    View view = new View(v, removes);
    for (int i : order) {
      MembershipOp op = ops.get(i);
      if (i == 0) {
        continue;
      }
      if (op instanceof Remove) {
        // The removal pass already settled which removes a concurrent removal of their issuer voids.
        boolean authorized = check(op, ancestors.get(i), view, false).isEmpty();
        if (!authorized) {
          unauthorized.set(i);
        } else if (effective0.get(i)) {
          v.set(i);
          removes.set(i);
        }
      } else if (notCutOff(i, op.issuer(), counted) && check(op, ancestors.get(i), view, false).isEmpty()) {
        v.set(i);
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
    return winningAdd(member, set, view).map(i -> ((Add) ops.get(i)).level());
  }

  /** The last (topological order) add of {@code member} in {@code set} that no remove there undoes. */
  private Optional<Integer> winningAdd(Ed25519PublicKey member, BitSet set, View view) {
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
    return best < 0 ? Optional.empty() : Optional.of(best);
  }
}
