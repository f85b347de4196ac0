package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Commit options hold no nulls: an absent message or time is empty, and an empty message is none. */
class CommitOptionsTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L));

  @Test
  void anEmptyMessageIsNoMessage() {
    assertEquals(CommitOptions.DEFAULT, CommitOptions.message(""));
    assertEquals(Optional.empty(), new CommitOptions(Optional.of(""), OptionalLong.empty()).message());
  }

  @Test
  void theDocumentClockIsUsedOnlyWhenNoTimeIsGiven() {
    Document d = Document.create(ActorId.fromHex("aaaa"), CLOCK);
    d.transact(CommitOptions.message("first"), tx -> tx.put(ObjId.ROOT, "a", 1));
    d.transact(CommitOptions.DEFAULT.withTime(0), tx -> tx.put(ObjId.ROOT, "b", 2));
    d.transact(CommitOptions.message("third").withTime(42).withMessage(""), tx -> tx.put(ObjId.ROOT, "c", 3));
    assertEquals(1_700_000_000L, d.changes().get(0).time());
    assertEquals(Optional.of("first"), d.changes().get(0).message());
    assertEquals(0, d.changes().get(1).time());
    assertEquals(42, d.changes().get(2).time());
    assertEquals(Optional.empty(), d.changes().get(2).message());
  }
}
