package dev.loam;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * A position in a list or text that keeps its place across concurrent edits: it names an element
 * rather than an index. Its string form is the one Automerge JS's {@code getCursor} returns
 * ({@code "s"}, {@code "e"}, {@code "counter@actor"}, or {@code "-counter@actor"} when it moves
 * before a deleted element), so cursors pass between Loam and JS peers.
 */
public final class Cursor {
  /** Where a cursor goes when the element it names has been deleted. */
  public enum Move {
    /** To the position of the next visible element (Automerge's default). */
    AFTER,
    /** To the position just after the previous visible element. */
    BEFORE
  }

  /** The position before the first element (Automerge JS's {@code "s"}). */
  public static final Cursor START = new Cursor(0, null, Move.AFTER);
  /** The position after the last element (Automerge JS's {@code "e"}). */
  public static final Cursor END = new Cursor(0, null, Move.AFTER);

  private final long counter;
  private final @Nullable ActorId actor;
  private final Move move;

  private Cursor(long counter, @Nullable ActorId actor, Move move) {
    this.counter = counter;
    this.actor = actor;
    this.move = move;
  }

  /** A cursor at the element inserted by operation {@code counter@actor}. */
  public static Cursor at(long counter, ActorId actor, Move move) {
    if (counter <= 0) {
      throw new IllegalArgumentException("an element counter is positive: " + counter);
    }
    return new Cursor(counter, Objects.requireNonNull(actor), Objects.requireNonNull(move));
  }

  /** Parses the string form Automerge JS uses. */
  public static Cursor parse(String text) {
    if (text.equals("s")) {
      return START;
    }
    if (text.equals("e")) {
      return END;
    }
    Move move = Move.AFTER;
    String s = text;
    if (s.startsWith("-")) {
      move = Move.BEFORE;
      s = s.substring(1);
    }
    int at = s.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("not a cursor: \"" + text + "\"");
    }
    try {
      return at(Long.parseLong(s.substring(0, at)), ActorId.fromHex(s.substring(at + 1)), move);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor: \"" + text + "\"", e);
    }
  }

  /** Whether this is {@link #START}. */
  public boolean isStart() {
    return this == START;
  }

  /** Whether this is {@link #END}. */
  public boolean isEnd() {
    return this == END;
  }

  /** The counter of the element's insert operation; 0 for {@link #START} and {@link #END}. */
  public long counter() {
    return counter;
  }

  /** The actor of the element's insert operation; empty for {@link #START} and {@link #END}. */
  public Optional<ActorId> actor() {
    return Optional.ofNullable(actor);
  }

  /** Where this cursor goes when its element has been deleted. */
  public Move move() {
    return move;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Cursor c && actor != null && counter == c.counter && actor.equals(c.actor) && move == c.move;
  }

  @Override
  public int hashCode() {
    return Objects.hash(counter, actor, move);
  }

  @Override
  public String toString() {
    if (this == START) {
      return "s";
    }
    if (this == END) {
      return "e";
    }
    return (move == Move.BEFORE ? "-" : "") + counter + "@" + actor.hex();
  }
}
