package dev.loam;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * Identifies an object (map, list or text) in a document: {@link #ROOT}, or the id of the operation
 * that created it, printed {@code counter@actorhex} as Automerge prints it.
 */
public final class ObjId {
  /** The root map every document has. */
  public static final ObjId ROOT = new ObjId(0, null);

  private final long counter;
  private final @Nullable ActorId actor;

  private ObjId(long counter, @Nullable ActorId actor) {
    this.counter = counter;
    this.actor = actor;
  }

  /** The object created by operation {@code counter@actor}. */
  public static ObjId of(long counter, ActorId actor) {
    if (counter <= 0) {
      throw new IllegalArgumentException("an object counter is positive: " + counter);
    }
    return new ObjId(counter, Objects.requireNonNull(actor));
  }

  /** Parses {@code _root} or {@code counter@actorhex}. */
  public static ObjId parse(String text) {
    if (text.equals("_root")) {
      return ROOT;
    }
    int at = text.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("not an object id: \"" + text + "\"");
    }
    try {
      return of(Long.parseLong(text.substring(0, at)), ActorId.fromHex(text.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an object id: \"" + text + "\"", e);
    }
  }

  /** Whether this is {@link #ROOT}, the document's root map. */
  public boolean isRoot() {
    return actor == null;
  }

  /** The counter of the creating operation; 0 for the root. */
  public long counter() {
    return counter;
  }

  /** The actor of the creating operation; empty for the root. */
  public Optional<ActorId> actor() {
    return Optional.ofNullable(actor);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ObjId other && counter == other.counter && Objects.equals(actor, other.actor);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(counter) * 31 + Objects.hashCode(actor);
  }

  @Override
  public String toString() {
    return actor == null ? "_root" : counter + "@" + actor.hex();
  }
}
