package dev.loam.secure;

import static dev.loam.secure.Scenario.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replicas that hold the same items agree, whatever order the items arrived in. */
class ConvergenceTest {
  static LongStream seeds() {
    return TestSeeds.seeds();
  }

  @Test
  void aRemovalConcurrentWithTheRemovedEditorsWritingConvergesInEveryArrivalOrder() {
    Scenario s = new Scenario(21);
    Identity bob = s.identity();
    Identity carol = s.identity();
    Add addCarol = s.add(s.root, on(s.genesis), carol, Level.ADMIN);
    Add addBob = s.add(s.root, on(addCarol), bob, Level.EDIT);
    Envelope e1 = s.envelope(bob, List.of(), on(addBob));
    Remove remove = s.remove(carol, on(addBob), bob, Set.of(e1.id()));
    Rotate rotate = s.rotate(carol, on(remove), List.of(s.root, carol));
    Envelope e2 = s.envelope(bob, List.of(e1.id()), on(addBob));
    Envelope e3 = s.envelope(s.root, List.of(e2.id()), on(addBob));
    Envelope e4 = s.envelope(carol, List.of(e1.id()), on(rotate), rotate.id());
    List<SecureItem> prefix = List.of(s.genesis, addCarol, addBob, e1);
    List<SecureItem> racing = List.of(remove, rotate, e2, e3, e4);
    List<SecureItem> all = new ArrayList<>(prefix);
    all.addAll(racing);

    String expected = null;
    for (List<SecureItem> order : Permutations.of(racing)) {
      List<SecureItem> delivery = new ArrayList<>(prefix);
      delivery.addAll(order);
      SecureLog log = new Replica(s.doc).deliver(delivery).log;
      // Written out by hand: bob is removed, his envelope outside the cutoff and the root's envelope
      // built on it are invalid; the envelope under the new epoch is valid.
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN, carol.memberId(), Level.ADMIN), log.members());
      assertTrue(log.isValid(e1.id()));
      assertFalse(log.isValid(e2.id()));
      assertFalse(log.isValid(e3.id()));
      assertTrue(log.isValid(e4.id()));
      assertEquals(List.of(e4.id()), log.envelopeHeads());
      assertEquals(List.of(rotate.id()), log.membershipHeads());
      String state = Replica.state(log, all);
      if (expected == null) {
        expected = state;
      }
      assertEquals(expected, state, "order " + order);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomDagsConvergeOnThreeReplicasInRandomOrders(long seed) {
    RandomHistory history = new RandomHistory(seed, 40);
    List<SecureItem> all = history.items;
    SecureRandom random = TestSeeds.random(seed + 1_000_000);
    Map<dev.loam.secure.crypto.Ed25519PublicKey, MemberId> people = new java.util.HashMap<>();
    for (Identity p : history.people) {
      people.put(p.memberId().signingKey(), p.memberId());
    }
    String expected = new ReferenceModel(history.s.doc, all).state(all, people);
    Replica.assertSameState(expected, SecureLog.restore(history.s.doc, all), all, "seed " + seed + ", restored");
    for (int replica = 0; replica < 3; replica++) {
      List<SecureItem> order = new ArrayList<>(all);
      if (replica > 0) {
        Collections.shuffle(order, random);
      }
      SecureLog log = new Replica(history.s.doc).deliver(order).log;
      Replica.assertSameState(expected, log, all, "seed " + seed + " (set LOAM_TEST_SEED to rerun), replica " + replica);
    }
  }

  @Test
  void randomHistoriesAreNotTrivial() {
    // Guards the generator: many histories must hold effective removals, ops kept void, and both
    // valid and invalid envelopes, or the convergence test above would prove little.
    int removed = 0;
    int voidOps = 0;
    int validEnvelopes = 0;
    int invalidEnvelopes = 0;
    int histories = 20;
    for (long seed = 0; seed < histories; seed++) {
      RandomHistory history = new RandomHistory(seed, 40);
      SecureLog log = SecureLog.restore(history.s.doc, history.items);
      boolean anyVoid = false;
      boolean anyValidEnvelope = false;
      boolean anyInvalidEnvelope = false;
      for (SecureItem item : log.items()) {
        switch (item) {
          case MembershipOp op -> anyVoid |= !log.isValid(op.id());
          case Envelope e -> {
            anyValidEnvelope |= log.isValid(e.id());
            anyInvalidEnvelope |= !log.isValid(e.id());
          }
        }
      }
      boolean anyRemoved = history.people.stream().anyMatch(p -> log.items().stream()
          .anyMatch(i -> i instanceof Add a && a.member().equals(p.memberId()) && log.isValid(a.id()))
          && log.level(p.memberId().signingKey()).isEmpty());
      removed += anyRemoved ? 1 : 0;
      voidOps += anyVoid ? 1 : 0;
      validEnvelopes += anyValidEnvelope ? 1 : 0;
      invalidEnvelopes += anyInvalidEnvelope ? 1 : 0;
    }
    String stats = "removed " + removed + ", void ops " + voidOps + ", valid envelopes " + validEnvelopes
        + ", invalid envelopes " + invalidEnvelopes + " of " + histories;
    System.out.println("random histories: " + stats);
    assertTrue(removed >= histories / 2 && voidOps >= histories / 4 && validEnvelopes >= histories / 2
        && invalidEnvelopes >= histories / 4, stats);
  }
}
