package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Remove;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A log of 1,000 members and (with {@code -Dloam.largeLog=true}) 10,000 ops, else 2,000: signing
 * that many ops takes most of the time. It is admitted one by one and restored in one go; both
 * must give the members a plain model of the history gives. Times are printed, never asserted.
 */
class LargeLogTest {
  private static final int OPS = Boolean.getBoolean("loam.largeLog") ? 10_000 : 2_000;

  @Test
  void aThousandMembersAndManyOps() {
    Scenario s = new Scenario(41);
    List<Identity> people = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      people.add(s.identity());
    }
    List<SecureItem> items = new ArrayList<>(List.of(s.genesis));
    Map<MemberId, Level> model = new HashMap<>(Map.of(s.root.memberId(), Level.ADMIN));
    Level[] levels = Level.values();
    MembershipOp last = s.genesis;
    MembershipOp side = s.genesis;
    for (int i = 0; items.size() < OPS + 1; i++) {
      Identity who = people.get(i % people.size());
      MembershipOp op;
      if (i < people.size() || !model.containsKey(who.memberId())) {
        Level level = levels[i % levels.length];
        op = s.add(s.root, Scenario.on(last), who, level);
        model.put(who.memberId(), level);
      } else if (i % 3 == 0) {
        op = s.remove(s.root, Scenario.on(last), who);
        model.remove(who.memberId());
      } else {
        // A rotate on an older op, concurrent with what followed it: work for the passes.
        op = s.rotate(s.root, Scenario.on(side), List.of(s.root));
        side = last;
        items.add(op);
        continue;
      }
      items.add(op);
      last = op;
    }
    long t0 = System.nanoTime();
    SecureLog restored = SecureLog.restore(s.doc, items);
    long t1 = System.nanoTime();
    SecureLog incremental = SecureLog.create(s.doc);
    for (SecureItem item : items) {
      incremental.admit(item);
    }
    long t2 = System.nanoTime();
    System.out.printf("%d ops, %d members: restore %d ms, one by one %d ms%n", items.size(), model.size(),
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    assertEquals(model, restored.members());
    assertEquals(model, incremental.members());
    assertEquals(items.size(), restored.items().size());
    assertEquals(Optional.of(Level.ADMIN), restored.level(s.root.signingKey().publicKey()));
  }
}
