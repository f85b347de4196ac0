package dev.loam.bench.jmh;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.secure.Admission;
import dev.loam.secure.EpochKey;
import dev.loam.secure.Epochs;
import dev.loam.secure.Identity;
import dev.loam.secure.KeyRing;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Secure documents for the benchmarks, built through the public API only (what an application
 * does): a writer typing into a text, a log with many members, a reader who is a member. Not
 * thread-safe; each benchmark state builds its own.
 */
final class SecureFixtures {
  private SecureFixtures() {}

  /** A secure document whose root holds the text {@code text}, and its writer. */
  record Typist(Identity writer, SecureDocument doc, ObjId text) {
    /** Types {@code n} characters, one change each, at the end of the text (not sealed). */
    void type(int n) {
      Document d = doc.document();
      for (int i = 0; i < n; i++) {
        d.spliceText(text, d.length(text), 0, "k");
        d.commit();
      }
    }

    /** Types {@code changes} characters, one change each, sealing an envelope every {@code perEnvelope} changes. */
    void type(int changes, int perEnvelope) {
      for (int done = 0; done < changes; done += perEnvelope) {
        type(Math.min(perEnvelope, changes - done));
        doc.seal();
      }
    }

    /** Shares the document with a new identity (keys from {@code seed}) at {@code level}; returns that identity. */
    Identity newMember(Level level, long seed) {
      Identity member = Identity.generate(random(seed));
      doc.share(member.memberId(), level);
      return member;
    }

    /** {@code member}'s view of every item so far, as their first sync would give it. */
    SecureDocument openAs(Identity member) {
      return SecureDocument.open(member, doc.id(), doc.items());
    }
  }

  /** A new secure document with an empty text, sealed. */
  static Typist typist(long seed) {
    Identity writer = Identity.generate(random(seed));
    SecureDocument doc = SecureDocument.create(writer);
    ObjId text = doc.document().putObject(ObjId.ROOT, "text", ObjType.TEXT);
    doc.document().commit();
    doc.seal();
    return new Typist(writer, doc, text);
  }

  /**
   * The items of a secure document whose log has {@code members} members (the root included) and
   * {@code ops} membership ops, every one issued by the root: the members are added first (one in
   * ten an editor, one in a hundred an admin, the rest relays), then members are raised to read or
   * edit (a demotion below read would make every epoch they hold unsafe, so the next writer
   * rotates: that is what the removals do), and about one op in two hundred removes a member and
   * rotates the read key (the member comes back later as a relay). Built with the rules directly:
   * every add grants the key of the epoch opened last (the writer's epoch until the next rotation,
   * since raising a member keeps every epoch safe), and the root's key ring is reopened only after a
   * rotation, so that building 10,000 ops takes seconds.
   */
  static List<SecureItem> membershipLog(int members, int ops, long seed) {
    Random random = new Random(seed);
    SecureRandom keys = random(seed);
    Identity root = Identity.generate(keys);
    MembershipOp.WithKey<MembershipOp.Genesis> genesis = MembershipOp.Genesis.create(root, keys);
    SecureLog log = SecureLog.create(genesis.op().documentId());
    admit(log, genesis.op());
    EpochKey epoch = genesis.key();
    List<MemberId> ids = new ArrayList<>(members);
    for (int i = 0; i < members - 1; i++) {
      Level level = i % 100 == 0 ? Level.ADMIN : i % 10 == 0 ? Level.EDIT : Level.RELAY;
      MemberId m = Identity.generate(keys).memberId();
      ids.add(m);
      admit(log, add(log, root, m, level, epoch));
    }
    List<MemberId> removed = new ArrayList<>();
    while (log.items().size() < ops) {
      MemberId m = ids.get(random.nextInt(ids.size()));
      if (!removed.isEmpty() && random.nextInt(4) == 0) {
        admit(log, add(log, root, removed.remove(removed.size() - 1), Level.RELAY, epoch));
      } else if (removed.contains(m)) {
        continue;
      } else if (random.nextInt(200) == 0 && ops - log.items().size() >= 2) {
        admit(log, Epochs.remove(log, root, m.signingKey()));
        MembershipOp.WithKey<MembershipOp.Rotate> rotate = Epochs.rotate(log, root, KeyRing.open(log, root), keys);
        admit(log, rotate.op());
        epoch = rotate.key();
        removed.add(m);
      } else {
        admit(log, add(log, root, m, random.nextBoolean() ? Level.READ : Level.EDIT, epoch));
      }
    }
    return log.items();
  }

  private static MembershipOp.Add add(SecureLog log, Identity root, MemberId m, Level level, EpochKey epoch) {
    return MembershipOp.Add.sign(root, log.documentId(), log.membershipHeads(), m, level,
        level.atLeast(Level.READ) ? Optional.of(epoch) : Optional.empty());
  }

  private static void admit(SecureLog log, SecureItem item) {
    Admission a = log.admit(item);
    if (a.outcome() != Admission.Outcome.ACCEPTED) {
      throw new IllegalStateException("the log refused the root's own op: " + a.reason());
    }
  }

  static SecureRandom random(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
    }
  }
}
