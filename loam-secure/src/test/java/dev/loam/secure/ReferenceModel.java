package dev.loam.secure;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain transcription of the rules (plan, "Evaluation") over a set of items, with hash sets and
 * recursion instead of bitsets, numbering and incremental passes: slow and obviously written from
 * the text, so the log can be checked against it.
 */
final class ReferenceModel {
  private final Map<OpId, MembershipOp> ops = new HashMap<>();
  private final Map<OpId, Set<OpId>> past = new HashMap<>();
  private final Map<OpId, Integer> depth = new HashMap<>();
  private final Map<EnvelopeId, Envelope> envelopes = new HashMap<>();
  private final Comparator<OpId> topo = Comparator.<OpId>comparingInt(depth::get).thenComparing(i -> i);
  private Ed25519PublicKey root;
  private Set<OpId> causal = new HashSet<>();
  private Set<OpId> valid = new HashSet<>();
  private Set<OpId> effective = new HashSet<>();
  private final Map<EnvelopeId, Boolean> envelopeValid = new HashMap<>();

  ReferenceModel(DocumentId doc, List<SecureItem> items) {
    Genesis genesis = null;
    for (SecureItem item : items) {
      if (item instanceof Genesis g && g.documentId().equals(doc)) {
        genesis = g;
      }
    }
    if (genesis == null) {
      return;
    }
    root = genesis.root().signingKey();
    ops.put(genesis.id(), genesis);
    past.put(genesis.id(), Set.of());
    depth.put(genesis.id(), 0);
    causal.add(genesis.id());
    // Causal pass, in rounds until no op whose parents are known is left: order does not matter,
    // because an op's causal validity depends on its past alone.
    for (boolean progress = true; progress; ) {
      progress = false;
      for (SecureItem item : items) {
        if (item instanceof MembershipOp op && !(op instanceof Genesis) && op.documentId().equals(doc)
            && !ops.containsKey(op.id()) && causal.containsAll(op.parents())) {
          Set<OpId> p = new HashSet<>();
          int d = 0;
          for (OpId parent : op.parents()) {
            p.add(parent);
            p.addAll(past.get(parent));
            d = Math.max(d, depth.get(parent) + 1);
          }
          ops.put(op.id(), op);
          past.put(op.id(), p);
          depth.put(op.id(), d);
          if (check(op, p, causal, causal, true)) {
            causal.add(op.id());
            progress = true;
          }
        }
      }
    }
    ops.keySet().retainAll(causal);
    removalAndFinalPasses();
    for (boolean progress = true; progress; ) {
      progress = false;
      for (SecureItem item : items) {
        if (item instanceof Envelope e && e.documentId().equals(doc) && !envelopes.containsKey(e.id()) && kept(e)) {
          envelopes.put(e.id(), e);
          progress = true;
        }
      }
    }
    for (Envelope e : envelopes.values()) {
      envelopeValid(e);
    }
  }

  private boolean concurrent(OpId a, OpId b) {
    return !a.equals(b) && !past.get(a).contains(b) && !past.get(b).contains(a);
  }

  private Set<OpId> closure(List<OpId> heads) {
    Set<OpId> s = new HashSet<>();
    for (OpId h : heads) {
      s.add(h);
      s.addAll(past.get(h));
    }
    return s;
  }

  /** The level of the last add (topological order) in s that no counted remove in s undoes. */
  Optional<Level> level(Ed25519PublicKey m, Set<OpId> s, Set<OpId> validOps, Set<OpId> counted) {
    if (m.equals(root)) {
      return Optional.of(Level.ADMIN);
    }
    OpId best = null;
    for (OpId a : s) {
      if (validOps.contains(a) && ops.get(a) instanceof Add add && add.member().signingKey().equals(m)) {
        boolean undone = false;
        for (OpId r : s) {
          if (counted.contains(r) && ops.get(r) instanceof Remove rm && rm.member().equals(m) && !past.get(a).contains(r)) {
            undone = true;
          }
        }
        if (!undone && (best == null || topo.compare(a, best) > 0)) {
          best = a;
        }
      }
    }
    return best == null ? Optional.empty() : Optional.of(((Add) ops.get(best)).level());
  }

  private boolean isEpochIn(OpId e, Set<OpId> s) {
    return s.contains(e) && (ops.get(e) instanceof Genesis || ops.get(e) instanceof Rotate);
  }

  private boolean check(MembershipOp op, Set<OpId> s, Set<OpId> validOps, Set<OpId> counted, boolean causalPass) {
    Optional<Level> l = level(op.issuer(), s, validOps, counted);
    boolean admin = l.equals(Optional.of(Level.ADMIN));
    return switch (op) {
      case Genesis g -> false;
      case Add a -> admin && !a.member().signingKey().equals(root)
          && (!causalPass || a.grant().isEmpty() || isEpochIn(a.grant().get().epoch(), s));
      case Remove r -> admin && !r.member().equals(root) && level(r.member(), s, validOps, counted).isPresent();
      case Rotate r -> l.isPresent() && l.get().atLeast(Level.EDIT)
          && (!causalPass || r.previous().stream().allMatch(link -> isEpochIn(link.epoch(), s)));
    };
  }

  /** The depth of {@code who}'s first add as admin among {@code basis}; the root -1. */
  private int seniority(Ed25519PublicKey who, Set<OpId> basis) {
    if (who.equals(root)) {
      return -1;
    }
    int best = Integer.MAX_VALUE;
    for (OpId id : basis) {
      if (ops.get(id) instanceof Add a && a.member().signingKey().equals(who) && a.level() == Level.ADMIN) {
        best = Math.min(best, depth.get(id));
      }
    }
    return best;
  }

  private void removalAndFinalPasses() {
    List<OpId> order = new ArrayList<>(causal);
    order.sort(topo);
    Set<OpId> excluded = new HashSet<>();
    Set<OpId> basis = causal;
    for (int outer = 0; ; outer++) {
      Set<OpId> seniorityBasis = basis;
      // Pass 2: removes by seniority; one whose issuer an effective concurrent remove targets is void.
      List<OpId> removes = new ArrayList<>();
      for (OpId id : causal) {
        if (ops.get(id) instanceof Remove && !excluded.contains(id)) {
          removes.add(id);
        }
      }
      removes.sort(Comparator.<OpId>comparingInt(r -> seniority(ops.get(r).issuer(), seniorityBasis)).thenComparing(topo));
      Set<OpId> e0 = new HashSet<>();
      for (OpId r : removes) {
        if (!cutOff(r, e0)) {
          e0.add(r);
        }
      }
      // Pass 3, repeated until the effective removes are stable.
      Set<OpId> counted = e0;
      Set<OpId> unauthorized = new HashSet<>();
      Set<OpId> v = new HashSet<>();
      for (int round = 0; ; round++) {
        unauthorized.clear();
        v = new HashSet<>();
        Set<OpId> validRemoves = new HashSet<>();
        for (OpId id : order) {
          MembershipOp op = ops.get(id);
          if (op instanceof Genesis) {
            v.add(id);
          } else if (op instanceof Remove) {
            if (!check(op, past.get(id), v, validRemoves, false)) {
              unauthorized.add(id);
            } else if (e0.contains(id)) {
              v.add(id);
              validRemoves.add(id);
            }
          } else if (!cutOff(id, counted) && check(op, past.get(id), v, validRemoves, false)) {
            v.add(id);
          }
        }
        Set<OpId> next = new HashSet<>(e0);
        next.retainAll(v);
        boolean stable = next.equals(counted);
        counted = next;
        if (stable || round == 16) {
          break;
        }
      }
      unauthorized.removeAll(excluded);
      boolean sameSeniority = true;
      for (OpId id : causal) {
        MembershipOp op = ops.get(id);
        if (op instanceof Remove && seniority(op.issuer(), v) != seniority(op.issuer(), basis)) {
          sameSeniority = false;
        }
      }
      if ((unauthorized.isEmpty() && sameSeniority) || outer == 16) {
        valid = v;
        effective = counted;
        return;
      }
      excluded.addAll(unauthorized);
      basis = v;
    }
  }

  /** Whether a remove in {@code removes} of op {@code id}'s issuer is concurrent with it. */
  private boolean cutOff(OpId id, Set<OpId> removes) {
    for (OpId r : removes) {
      if (((Remove) ops.get(r)).member().equals(ops.get(id).issuer()) && concurrent(r, id)) {
        return true;
      }
    }
    return false;
  }

  private boolean kept(Envelope e) {
    if (!envelopes.keySet().containsAll(e.parents()) || !ops.keySet().containsAll(e.membershipHeads())
        || !ops.containsKey(e.epoch())) {
      return false;
    }
    Set<OpId> c = closure(e.membershipHeads());
    Optional<Level> l = level(e.author(), c, causal, causal);
    return isEpochIn(e.epoch(), c) && l.isPresent() && l.get().atLeast(Level.EDIT);
  }

  private boolean envelopeValid(Envelope e) {
    Boolean known = envelopeValid.get(e.id());
    if (known != null) {
      return known;
    }
    boolean ok = e.parents().stream().allMatch(p -> envelopeValid(envelopes.get(p)))
        && valid.containsAll(e.membershipHeads()) && valid.contains(e.epoch());
    Set<OpId> c = closure(e.membershipHeads());
    Set<OpId> counted = new HashSet<>(effective);
    counted.retainAll(valid);
    Optional<Level> l = level(e.author(), c, valid, counted);
    ok &= l.isPresent() && l.get().atLeast(Level.EDIT);
    for (Ed25519PublicKey holder : holders(e.epoch(), c)) {
      Optional<Level> hl = level(holder, c, valid, counted);
      ok &= hl.isPresent() && hl.get().atLeast(Level.READ);
    }
    for (OpId r : counted) {
      Remove remove = (Remove) ops.get(r);
      if (remove.member().equals(e.author()) && !c.contains(r) && !inCutoffPast(e.id(), remove)) {
        ok = false;
      }
    }
    envelopeValid.put(e.id(), ok);
    return ok;
  }

  /** Who could open {@code epoch} by the ops in {@code s}: its wraps, grants of it, and holders of epochs chaining to it. */
  private Set<Ed25519PublicKey> holders(OpId epoch, Set<OpId> s) {
    Set<Ed25519PublicKey> out = new HashSet<>();
    switch (ops.get(epoch)) {
      case Genesis g -> out.add(g.root().signingKey());
      case Rotate r -> r.wraps().forEach(w -> out.add(w.member()));
      default -> throw new AssertionError("not an epoch");
    }
    for (OpId id : s) {
      if (ops.get(id) instanceof Add a && a.grant().isPresent() && a.grant().get().epoch().equals(epoch)) {
        out.add(a.member().signingKey());
      }
      if (ops.get(id) instanceof Rotate r && r.previous().stream().anyMatch(link -> link.epoch().equals(epoch))) {
        out.addAll(holders(id, s));
      }
    }
    return out;
  }

  private boolean inCutoffPast(EnvelopeId target, Remove remove) {
    List<EnvelopeId> stack = new ArrayList<>(remove.cutoff());
    Set<EnvelopeId> seen = new HashSet<>();
    while (!stack.isEmpty()) {
      EnvelopeId at = stack.removeLast();
      if (at.equals(target)) {
        return true;
      }
      Envelope e = envelopes.get(at);
      if (e != null && seen.add(at)) {
        stack.addAll(e.parents());
      }
    }
    return false;
  }

  /** The same text as {@link Replica#state}, from the model. */
  String state(List<SecureItem> all, Map<Ed25519PublicKey, MemberId> people) {
    Map<String, Level> members = new TreeMap<>();
    Set<OpId> counted = new HashSet<>(effective);
    counted.retainAll(valid);
    Set<OpId> everything = new HashSet<>(ops.keySet());
    for (MemberId m : people.values()) {
      level(m.signingKey(), everything, valid, counted).ifPresent(l -> members.put(m.toString(), l));
    }
    Set<OpId> covered = new HashSet<>();
    for (OpId v : valid) {
      covered.addAll(past.get(v));
    }
    List<OpId> heads = valid.stream().filter(v -> !covered.contains(v)).sorted().toList();
    Set<EnvelopeId> coveredEnvelopes = new HashSet<>();
    envelopes.values().stream().filter(e -> envelopeValid.get(e.id())).forEach(e -> coveredEnvelopes.addAll(e.parents()));
    List<EnvelopeId> envelopeHeads = envelopes.values().stream()
        .filter(e -> envelopeValid.get(e.id()) && !coveredEnvelopes.contains(e.id())).map(Envelope::id).sorted().toList();
    Map<String, Boolean> validity = new TreeMap<>();
    for (SecureItem item : all) {
      boolean v = switch (item) {
        case MembershipOp op -> valid.contains(op.id());
        case Envelope e -> envelopeValid.getOrDefault(e.id(), false);
      };
      validity.put(item.itemId().hex(), v);
    }
    return "members=" + members + "\nops=" + heads + "\nenvelopes=" + envelopeHeads + "\nvalid=" + validity;
  }
}
