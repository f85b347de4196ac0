package dev.loam.bench.jmh;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureItem;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
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
   * about {@code ops} membership ops in all, every one issued by the root: the members are added
   * first (one in ten an editor, one in a hundred an admin, the rest relays), then levels change
   * between relay and read, and about one op in a hundred removes a member with a key rotation
   * (re-added later), until the log holds {@code ops} ops.
   */
  static List<SecureItem> membershipLog(int members, int ops, long seed) {
    Random random = new Random(seed);
    Typist t = typist(seed);
    List<MemberId> ids = new ArrayList<>(members);
    for (int i = 0; i < members - 1; i++) {
      Level level = i % 100 == 0 ? Level.ADMIN : i % 10 == 0 ? Level.EDIT : Level.RELAY;
      ids.add(t.newMember(level, seed * 7919 + i).memberId());
    }
    long count = t.doc().items().stream().filter(i -> i instanceof MembershipOp).count();
    List<MemberId> removed = new ArrayList<>();
    while (count < ops) {
      MemberId m = ids.get(random.nextInt(ids.size()));
      if (!removed.isEmpty() && random.nextInt(4) == 0) {
        count += t.doc().share(removed.remove(removed.size() - 1), Level.RELAY).size();
      } else if (random.nextInt(100) == 0 && ops - count >= 2 && !removed.contains(m)) {
        count += t.doc().unshare(m).size();
        removed.add(m);
      } else if (!removed.contains(m)) {
        count += t.doc().share(m, random.nextBoolean() ? Level.RELAY : Level.READ).size();
      }
    }
    return t.doc().items();
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
