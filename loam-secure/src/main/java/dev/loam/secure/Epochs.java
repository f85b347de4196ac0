package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Link;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.MembershipOp.WithKey;
import dev.loam.secure.MembershipOp.Wrap;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rule 5, the read keys by epoch, decided from a log alone: which epoch a writer encrypts under,
 * when it must rotate first, and the ops that share, unshare and rotate (built from what the log
 * says). Stateless and thread-safe (the log it reads is not: confine it).
 *
 * <p>The <em>holders</em> of an epoch are the members it was wrapped for (genesis: the root; a
 * rotate: its wraps; adds that grant it, even void ones) and the holders of every later epoch that chains
 * to it. An epoch is <em>safe</em> when all its holders are current {@code read}+ members. The
 * writer's epoch is the greatest safe epoch by (depth, op id); with none, or when some current
 * {@code read}+ member is not a holder of it (a missing wrap to repair), an editor rotates first.
 * So every removal of a reader makes every epoch it held unsafe, and the next writer rotates.
 */
public final class Epochs {
  private Epochs() {}

  /** The epoch a writer encrypts under now, or empty if none is safe (rotate first). */
  public static Optional<OpId> writeEpoch(SecureLog log) {
    return log.graph().flatMap(graph -> chosen(graph, holders(graph), readers(log)))
        .map(i -> log.graph().orElseThrow().op(i).id());
  }

  /**
   * Whether {@code writer} (who may edit) must {@link #rotate} before writing: no epoch is safe,
   * or some current {@code read}+ member cannot open the writer's epoch.
   */
  public static boolean needsRotation(SecureLog log, Ed25519PublicKey writer) {
    Optional<OpGraph> maybe = log.graph();
    if (maybe.isEmpty()) {
      return false;
    }
    OpGraph graph = maybe.get();
    Map<Integer, Set<Ed25519PublicKey>> holders = holders(graph);
    Set<Ed25519PublicKey> readers = readers(log);
    Optional<Integer> epoch = chosen(graph, holders, readers);
    return epoch.isEmpty() || !holders.get(epoch.get()).containsAll(readers);
  }

  /**
   * Builds the add of {@code member} at {@code level} on the log's heads; a {@code read}+ member
   * gets a grant of the writer's epoch key from {@code ring}.
   *
   * @throws IllegalStateException if a reader is added while no epoch is safe or the issuer's ring
   *     lacks its key (rotate first)
   */
  public static Add add(SecureLog log, Identity issuer, KeyRing ring, MemberId member, Level level) {
    Optional<EpochKey> key = Optional.empty();
    if (level.atLeast(Level.READ)) {
      OpId epoch = writeEpoch(log).orElseThrow(() -> new IllegalStateException("no epoch is safe to share: rotate first"));
      key = Optional.of(ring.key(epoch).orElseThrow(
          () -> new IllegalStateException("this identity cannot open the writer's epoch: rotate first")));
    }
    return Add.sign(issuer, log.documentId(), log.membershipHeads(), member, level, key);
  }

  /** Builds the remove of {@code member} on the log's heads, with the log's envelope heads as its cutoff. */
  public static Remove remove(SecureLog log, Identity issuer, Ed25519PublicKey member) {
    return Remove.sign(issuer, log.documentId(), log.membershipHeads(), member, log.envelopeHeads());
  }

  /**
   * Builds a rotate on the log's heads: a fresh key wrapped for every current {@code read}+ member,
   * with links to the keys {@code ring} holds of the epoch heads (the valid epochs no later valid
   * epoch follows), so holders of the new key read history.
   */
  public static WithKey<Rotate> rotate(SecureLog log, Identity issuer, KeyRing ring, SecureRandom random) {
    OpGraph graph = log.graph().orElseThrow(() -> new IllegalStateException("the log has no genesis"));
    List<MemberId> recipients = new ArrayList<>();
    log.members().forEach((m, l) -> {
      if (l.atLeast(Level.READ)) {
        recipients.add(m);
      }
    });
    List<Integer> epochs = KeyRing.validEpochs(graph);
    BitSet covered = new BitSet();
    for (int e : epochs) {
      covered.or(graph.ancestors(e));
    }
    List<EpochKey> previous = new ArrayList<>();
    for (int e : epochs) {
      if (!covered.get(e)) {
        ring.key(graph.op(e).id()).ifPresent(previous::add);
      }
    }
    return Rotate.create(issuer, log.documentId(), log.membershipHeads(), recipients, previous, random);
  }

  /** The nonce of a genesis or rotate op (what wraps of its key are bound to). */
  static Bytes nonceOf(MembershipOp epoch) {
    return switch (epoch) {
      case Genesis g -> g.nonce();
      case Rotate r -> r.nonce();
      case Add a -> throw new IllegalArgumentException("an add opens no epoch");
      case Remove r -> throw new IllegalArgumentException("a remove opens no epoch");
    };
  }

  private static Set<Ed25519PublicKey> readers(SecureLog log) {
    Set<Ed25519PublicKey> out = new HashSet<>();
    log.members().forEach((m, l) -> {
      if (l.atLeast(Level.READ)) {
        out.add(m.signingKey());
      }
    });
    return out;
  }

  private static Optional<Integer> chosen(OpGraph graph, Map<Integer, Set<Ed25519PublicKey>> holders,
      Set<Ed25519PublicKey> readers) {
    List<Integer> epochs = KeyRing.validEpochs(graph);
    for (int at = epochs.size() - 1; at >= 0; at--) {
      if (readers.containsAll(holders.get(epochs.get(at)))) {
        return Optional.of(epochs.get(at));
      }
    }
    return Optional.empty();
  }

  /**
   * The holders of each epoch (by op number). Void ops count too: a void add's grant or a void
   * rotate's wraps still reached whoever they were sealed for.
   */
  private static Map<Integer, Set<Ed25519PublicKey>> holders(OpGraph graph) {
    BitSet all = new BitSet();
    all.set(0, graph.size());
    return holders(graph, all);
  }

  /** The holders of each epoch in {@code within}, counting only the ops in {@code within}. */
  private static Map<Integer, Set<Ed25519PublicKey>> holders(OpGraph graph, BitSet within) {
    Map<Integer, Set<Ed25519PublicKey>> out = new HashMap<>();
    List<Integer> epochs = KeyRing.epochs(graph, false).stream().filter(within::get).toList();
    for (int e : epochs) {
      Set<Ed25519PublicKey> direct = new HashSet<>();
      switch (graph.op(e)) {
        case Genesis g -> direct.add(g.root().signingKey());
        case Rotate r -> r.wraps().stream().map(Wrap::member).forEach(direct::add);
        case Add a -> { }
        case Remove r -> { }
      }
      out.put(e, direct);
    }
    for (int i = within.nextSetBit(0); i >= 0; i = within.nextSetBit(i + 1)) {
      if (graph.op(i) instanceof Add add && add.grant().isPresent()) {
        graph.indexOf(add.grant().get().epoch()).map(out::get).ifPresent(h -> h.add(add.member().signingKey()));
      }
    }
    for (int at = epochs.size() - 1; at >= 0; at--) {
      if (graph.op(epochs.get(at)) instanceof Rotate rotate) {
        Set<Ed25519PublicKey> newer = out.get(epochs.get(at));
        for (Link link : rotate.previous()) {
          graph.indexOf(link.epoch()).map(out::get).ifPresent(h -> h.addAll(newer));
        }
      }
    }
    return out;
  }

  /**
   * Whether epoch {@code epoch} was safe at the op set {@code closure} (membership heads and their
   * past, which holds the epoch): every holder it had there was a {@code read}+ member there. An
   * envelope under an epoch that was not safe at its own heads is invalid: its writer knew that
   * someone who is no longer a reader could open it.
   */
  static boolean safeAt(OpGraph graph, int epoch, BitSet closure) {
    for (Ed25519PublicKey holder : holders(graph, closure).getOrDefault(epoch, Set.of())) {
      Optional<Level> level = graph.level(holder, closure);
      if (level.isEmpty() || !level.get().atLeast(Level.READ)) {
        return false;
      }
    }
    return true;
  }

}
