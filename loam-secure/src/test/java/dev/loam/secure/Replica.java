package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.repo.id.DocumentId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replica of a secure document in a delivery-order test: items arrive in a given order, and
 * whatever is pending or rejected is offered again until nothing more is accepted (as sync does).
 */
final class Replica {
  final SecureLog log;

  Replica(DocumentId doc) {
    log = SecureLog.create(doc);
  }

  Replica deliver(List<? extends SecureItem> order) {
    List<SecureItem> waiting = new ArrayList<>(order);
    boolean progress = true;
    while (progress) {
      progress = false;
      List<SecureItem> still = new ArrayList<>();
      for (SecureItem item : waiting) {
        Admission.Outcome outcome = log.admit(item).outcome();
        if (outcome == Admission.Outcome.ACCEPTED) {
          progress = true;
        } else if (outcome != Admission.Outcome.DUPLICATE) {
          still.add(item);
        }
      }
      waiting = still;
    }
    return this;
  }

  /** What must agree between replicas: members, heads, and the validity of every item. */
  static String state(SecureLog log, Collection<? extends SecureItem> all) {
    Map<String, Boolean> validity = new TreeMap<>();
    for (SecureItem item : all) {
      boolean valid = switch (item) {
        case MembershipOp op -> log.isValid(op.id());
        case Envelope e -> log.isValid(e.id());
      };
      validity.put(item.itemId().hex(), valid);
    }
    return "members=" + new TreeMap<>(stringKeys(log.members())) + "\nops=" + log.membershipHeads() + "\nenvelopes="
        + log.envelopeHeads() + "\nvalid=" + validity;
  }

  private static Map<String, Level> stringKeys(Map<MemberId, Level> members) {
    Map<String, Level> out = new TreeMap<>();
    members.forEach((m, l) -> out.put(m.toString(), l));
    return out;
  }

  static void assertSameState(String expected, SecureLog log, Collection<? extends SecureItem> all, String context) {
    assertEquals(expected, state(log, all), context);
  }
}
