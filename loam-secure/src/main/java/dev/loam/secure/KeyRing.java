package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Link;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.MembershipOp.Wrap;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The epoch keys one identity can open from a log: the keys wrapped for it (in the genesis, in
 * rotates, in the adds that gave it a read level) and, through the chain links of each epoch it
 * holds, every older epoch. Only valid epochs count. A wrap or link that does not open (damaged,
 * or sealed for someone else) is skipped: it degrades only its recipient. Immutable and
 * thread-safe; open a new ring after the log changes.
 */
public final class KeyRing {
  private final Map<OpId, EpochKey> keys;

  private KeyRing(Map<OpId, EpochKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** The keys {@code me} can open from {@code log} (none before the genesis). */
  public static KeyRing open(SecureLog log, Identity me) {
    Map<OpId, EpochKey> keys = new HashMap<>();
    Optional<OpGraph> maybe = log.graph();
    if (maybe.isEmpty()) {
      return new KeyRing(keys);
    }
    OpGraph graph = maybe.get();
    Ed25519PublicKey self = me.signingKey().publicKey();
    for (int i = 0; i < graph.size(); i++) {
      if (graph.isValid(i)) {
        direct(graph, graph.op(i), me, self).ifPresent(k -> keys.putIfAbsent(k.epoch(), k));
      }
    }
    List<Integer> epochs = validEpochs(graph);
    for (int at = epochs.size() - 1; at >= 0; at--) {
      if (graph.op(epochs.get(at)) instanceof Rotate rotate && keys.containsKey(rotate.id())) {
        EpochKey newer = keys.get(rotate.id());
        for (Link link : rotate.previous()) {
          Optional<Integer> old = graph.indexOf(link.epoch());
          if (keys.containsKey(link.epoch()) || old.isEmpty() || !graph.isValid(old.get())) {
            continue;
          }
          Bytes oldNonce = Epochs.nonceOf(graph.op(old.get()));
          Wraps.unlink(log.documentId(), link.epoch(), rotate.nonce(), newer.key(), link.sealed())
              .ifPresent(k -> keys.put(link.epoch(), new EpochKey(link.epoch(), oldNonce, k)));
        }
      }
    }
    return new KeyRing(keys);
  }

  private static Optional<EpochKey> direct(OpGraph graph, MembershipOp op, Identity me, Ed25519PublicKey self) {
    return switch (op) {
      case Genesis g -> g.root().signingKey().equals(self)
          ? Wraps.unwrap(me.encryptionKey(), self, g.nonce(), g.rootWrap()).map(k -> new EpochKey(g.id(), g.nonce(), k))
          : Optional.empty();
      case Rotate r -> {
        for (Wrap w : r.wraps()) {
          if (w.member().equals(self)) {
            yield Wraps.unwrap(me.encryptionKey(), self, r.nonce(), w.sealed()).map(k -> new EpochKey(r.id(), r.nonce(), k));
          }
        }
        yield Optional.empty();
      }
      case Add a -> {
        if (!a.member().signingKey().equals(self) || a.grant().isEmpty()) {
          yield Optional.empty();
        }
        OpId epoch = a.grant().get().epoch();
        Optional<Integer> e = graph.indexOf(epoch);
        if (e.isEmpty() || !graph.isValid(e.get())) {
          yield Optional.empty();
        }
        Bytes nonce = Epochs.nonceOf(graph.op(e.get()));
        yield Wraps.unwrap(me.encryptionKey(), self, nonce, a.grant().get().sealed()).map(k -> new EpochKey(epoch, nonce, k));
      }
      case Remove r -> Optional.empty();
    };
  }

  /** The valid genesis and rotate ops, in topological order. */
  static List<Integer> validEpochs(OpGraph graph) {
    return epochs(graph, true);
  }

  /** The genesis and rotate ops (only the valid ones if {@code validOnly}), in topological order. */
  static List<Integer> epochs(OpGraph graph, boolean validOnly) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < graph.size(); i++) {
      MembershipOp op = graph.op(i);
      if ((graph.isValid(i) || !validOnly) && (op instanceof Genesis || op instanceof Rotate)) {
        out.add(i);
      }
    }
    out.sort(graph.topological());
    return out;
  }

  /** The key of {@code epoch}, if this identity can open it. */
  public Optional<EpochKey> key(OpId epoch) {
    return Optional.ofNullable(keys.get(epoch));
  }

  /** The epochs whose keys this ring holds. */
  public Set<OpId> epochs() {
    return keys.keySet();
  }

  /** Whether the ring holds no key (the identity cannot read anything). */
  public boolean isEmpty() {
    return keys.isEmpty();
  }

  @Override
  public String toString() {
    return "KeyRing[" + keys.size() + " epochs]";
  }
}
