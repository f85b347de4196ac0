package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecureReplayGuardTest {
  private final SecureFixture.Clock clock = new SecureFixture.Clock();

  private static Bytes nonce(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    return Bytes.wrap(b);
  }

  @Test
  void aNonceIsRefusedAsLongAsItsRequestCouldPassTheTimeCheck() {
    ReplayGuard g = new ReplayGuard(clock, 100);
    long now = clock.millis();
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(1), now + 60_000));
    assertEquals(ReplayGuard.Verdict.REPLAYED, g.check(nonce(1), now + 60_000));
    clock.advance(Duration.ofSeconds(119)); // the request's timestamp is still within 60 s of now
    assertEquals(ReplayGuard.Verdict.REPLAYED, g.check(nonce(1), now + 60_000));
    clock.advance(Duration.ofSeconds(2)); // now it is not: the time check refuses it, and the nonce may go
    assertEquals(ReplayGuard.Verdict.OUTSIDE_WINDOW, g.check(nonce(1), now + 60_000));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(2), clock.millis()));
    assertEquals(1, g.size(), "the old nonce was forgotten once it could no longer pass");
  }

  @Test
  void timestampsOutsideTheWindowEitherWayAreRefusedAndNotRemembered() {
    ReplayGuard g = new ReplayGuard(clock, 100);
    long now = clock.millis();
    assertEquals(ReplayGuard.Verdict.OUTSIDE_WINDOW, g.check(nonce(1), now - 60_001));
    assertEquals(ReplayGuard.Verdict.OUTSIDE_WINDOW, g.check(nonce(1), now + 60_001));
    assertEquals(0, g.size());
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(1), now - 60_000));
  }

  @Test
  void whenFullItRefusesNewRequestsUntilOldOnesExpire() {
    ReplayGuard g = new ReplayGuard(clock, 2);
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(1), clock.millis()));
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(2), clock.millis()));
    assertEquals(ReplayGuard.Verdict.FULL, g.check(nonce(3), clock.millis()));
    assertEquals(ReplayGuard.Verdict.REPLAYED, g.check(nonce(1), clock.millis()), "never forgotten early");
    clock.advance(Duration.ofSeconds(121));
    assertEquals(ReplayGuard.Verdict.FRESH, g.check(nonce(3), clock.millis()));
  }
}
