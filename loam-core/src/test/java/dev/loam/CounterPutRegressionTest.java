package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Regression (found at seed 313 of SaveLoadTest with 1,000 seeds): putting a counter over a counter
 * compares with its current value, not the stored initial one. Expected values from Automerge JS
 * 3.5.0's low-level API: {@code put(c, 42, "counter")} after {@code increment(c, -9)} makes a change
 * and reads 42; the same put over an unincremented counter 42 makes none.
 */
class CounterPutRegressionTest {
  @Test
  void puttingACountersInitialValueOverAnIncrementedCounterMakesAChange() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(CommitOptions.DEFAULT.withTime(1), tx -> tx.put(ObjId.ROOT, "c", ScalarValue.counter(42)));
    doc.transact(CommitOptions.DEFAULT.withTime(2), tx -> tx.increment(ObjId.ROOT, "c", -9));
    Optional<ChangeHash> h = doc.transact(CommitOptions.DEFAULT.withTime(3), tx -> tx.put(ObjId.ROOT, "c", ScalarValue.counter(42)));
    assertTrue(h.isPresent());
    assertEquals(ScalarValue.counter(42), doc.get(ObjId.ROOT, "c").orElseThrow());
  }

  @Test
  void puttingTheSameCounterOverAnUnincrementedCounterMakesNoChange() {
    Document doc = Document.create(ActorId.fromHex("bb"));
    doc.transact(CommitOptions.DEFAULT.withTime(1), tx -> tx.put(ObjId.ROOT, "c", ScalarValue.counter(42)));
    assertTrue(doc.transact(CommitOptions.DEFAULT.withTime(2), tx -> tx.put(ObjId.ROOT, "c", ScalarValue.counter(42))).isEmpty());
  }
}
