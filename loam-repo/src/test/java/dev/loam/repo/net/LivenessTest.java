package dev.loam.repo.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The liveness evidence of one connection, on a hand-driven clock. */
class LivenessTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(5_000 * MS);
  private final Liveness liveness = new Liveness(Duration.ofMillis(300), now::get);

  @Test
  void silenceIsOverdueFromTheTimeoutOnAndAnyFrameResetsIt() {
    now.addAndGet(299 * MS);
    assertEquals(OptionalLong.empty(), liveness.overdueMillis());
    now.addAndGet(MS);
    assertEquals(OptionalLong.of(300), liveness.overdueMillis());
    liveness.heard();
    now.addAndGet(299 * MS);
    assertEquals(OptionalLong.empty(), liveness.overdueMillis());
    now.addAndGet(51 * MS);
    assertEquals(OptionalLong.of(350), liveness.overdueMillis());
  }

  @Test
  void timeSpentHandlingAMessageIsNotSilence() {
    liveness.handling();
    now.addAndGet(10_000 * MS);
    assertEquals(OptionalLong.empty(), liveness.overdueMillis(), "not reading while handling");
    liveness.handled();
    now.addAndGet(299 * MS);
    assertEquals(OptionalLong.empty(), liveness.overdueMillis(), "silence counts from the end of handling");
    now.addAndGet(MS);
    assertEquals(OptionalLong.of(300), liveness.overdueMillis());
  }

  @Test
  void onlyOnePingIsOutstanding() {
    assertTrue(liveness.startPing());
    assertFalse(liveness.startPing(), "the previous ping is still being written");
    liveness.pingEnded();
    assertTrue(liveness.startPing());
  }
}
