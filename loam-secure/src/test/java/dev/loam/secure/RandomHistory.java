package dev.loam.secure;

import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A random history of a secure document: ops and envelopes by random members (and a stranger) on
 * random parents, so branches are concurrent, removals race, removed members keep writing on old
 * heads, and some items are invalid. A guide log (admitting in creation order) only steers which
 * items later ones build on; expected results never come from it.
 */
final class RandomHistory {
  final Scenario s;
  final List<Identity> people = new ArrayList<>();
  final List<SecureItem> items = new ArrayList<>();
  private final List<MembershipOp> ops = new ArrayList<>();
  private final List<Envelope> envelopes = new ArrayList<>();
  private final List<OpId> epochs = new ArrayList<>();

  RandomHistory(long seed, int steps) {
    s = new Scenario(seed);
    SecureRandom random = s.random;
    people.add(s.root);
    for (int i = 0; i < 5; i++) {
      people.add(s.identity());
    }
    SecureLog guide = s.log();
    items.add(s.genesis);
    ops.add(s.genesis);
    epochs.add(s.genesis.id());
    List<Identity> admins = new ArrayList<>(List.of(s.root));
    List<Identity> editors = new ArrayList<>(List.of(s.root));
    for (int step = 0; step < steps; step++) {
      int kind = random.nextInt(10);
      List<Identity> likely = kind < 5 ? admins : editors;
      Identity who = random.nextInt(5) != 0 ? likely.get(random.nextInt(likely.size())) : people.get(random.nextInt(people.size()));
      List<OpId> parents = pick(random, ops, 1 + random.nextInt(2)).stream().map(MembershipOp::id).toList();
      Identity other = people.get(1 + random.nextInt(people.size() - 1));
      SecureItem item;
      if (kind < 3) {
        Level level = Level.values()[random.nextInt(4)];
        item = Add.sign(who, s.doc, parents, other.memberId(), level,
            level.atLeast(Level.READ) ? java.util.Optional.of(s.epoch0) : java.util.Optional.empty(), random);
        if (level.atLeast(Level.EDIT)) {
          if (level == Level.ADMIN) {
            admins.add(other);
          }
          editors.add(other);
        }
      } else if (kind < 5) {
        item = s.remove(who, parents, other, Set.copyOf(pick(random, envelopes, random.nextInt(3)).stream().map(Envelope::id).toList()));
      } else if (kind < 6) {
        item = s.rotate(who, parents, List.of(s.root));
      } else {
        OpId epoch = random.nextInt(3) == 0 ? epochs.get(random.nextInt(epochs.size())) : s.genesis.id();
        List<OpId> heads = new ArrayList<>(parents);
        heads.add(epoch);
        item = s.envelope(who, pick(random, envelopes, random.nextInt(3)).stream().map(Envelope::id).toList(), heads, epoch);
      }
      Admission.Outcome outcome = guide.admit(item).outcome();
      if (outcome == Admission.Outcome.REJECTED && random.nextInt(4) != 0) {
        continue; // keep a few rejected items: replicas must reject them too
      }
      items.add(item);
      switch (item) {
        case Rotate r -> {
          ops.add(r);
          epochs.add(r.id());
        }
        case MembershipOp op -> {
          if (outcome == Admission.Outcome.ACCEPTED) {
            ops.add(op);
          }
        }
        case Envelope e -> {
          if (outcome == Admission.Outcome.ACCEPTED) {
            envelopes.add(e);
          }
        }
      }
    }
  }

  private static <T> List<T> pick(SecureRandom random, List<T> from, int n) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n && !from.isEmpty(); i++) {
      // favour recent items, so histories grow deep as well as wide, but reach back too
      int at = random.nextBoolean() ? Math.max(0, from.size() - 1 - random.nextInt(Math.min(from.size(), 4)))
          : random.nextInt(from.size());
      T t = from.get(at);
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }
}
