package dev.loam.typed;

import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.repo.DocChange;
import dev.loam.repo.id.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A change to a typed document: its value after the change, the heads before and after, the
 * patches between them, and the peer that brought it (empty for a change this repo made).
 * Immutable when {@code T} is; thread-safe. Two changes are equal when their values, heads and
 * peers are.
 *
 * <p>The patches of a change a {@link TypedHandle} delivers are computed when {@link #patches()}
 * is first called, as {@link DocChange#patches()} are: a subscriber that only reads the value does
 * not pay for a diff of the document.
 *
 * @param <T> the document's class
 */
public final class TypedChange<T> {
  private final T value;
  private final Heads before;
  private final Heads after;
  private final Optional<PeerId> peer;
  private final @Nullable DocChange change; // the patches' source (it computes them once), when not given
  private final @Nullable List<Patch> patches; // given, or null

  /**
   * A change whose patches are given.
   *
   * @param value the document's value after the change, read as of {@code after}
   * @param before the document's heads before the change
   * @param after the document's heads after it
   * @param patches what changed between {@code before} and {@code after}, as {@link DocChange} has them
   * @param peer the peer whose sync message brought the change, or empty for a change this repo made
   */
  public TypedChange(T value, Heads before, Heads after, List<Patch> patches, Optional<PeerId> peer) {
    this(value, before, after, peer, List.copyOf(patches), null);
  }

  private TypedChange(T value, Heads before, Heads after, Optional<PeerId> peer, @Nullable List<Patch> patches,
      @Nullable DocChange change) {
    this.value = Objects.requireNonNull(value);
    this.before = Objects.requireNonNull(before);
    this.after = Objects.requireNonNull(after);
    this.peer = Objects.requireNonNull(peer);
    this.patches = patches;
    this.change = change;
  }

  /** {@code change} with its document read as {@code value}; the patches are {@code change}'s, asked for when needed. */
  static <T> TypedChange<T> of(T value, DocChange change) {
    return new TypedChange<>(value, change.before(), change.after(), change.peer(), null, change);
  }

  /** The document's value after the change, read as of {@link #after()}. */
  public T value() {
    return value;
  }

  /** The document's heads before the change. */
  public Heads before() {
    return before;
  }

  /** The document's heads after it. */
  public Heads after() {
    return after;
  }

  /** What changed between {@link #before()} and {@link #after()}; computed on the first call (see the class comment). */
  public List<Patch> patches() {
    return patches != null ? patches : Objects.requireNonNull(change).patches();
  }

  /** The peer whose sync message brought the change, or empty for a change this repo made. */
  public Optional<PeerId> peer() {
    return peer;
  }

  /** Whether this repo made the change (rather than a collaborator, through a peer). */
  public boolean local() {
    return peer.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TypedChange<?> c && value.equals(c.value) && before.equals(c.before) && after.equals(c.after)
        && peer.equals(c.peer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, before, after, peer);
  }

  @Override
  public String toString() {
    return "TypedChange[value=" + value + ", before=" + before + ", after=" + after + ", peer=" + peer + "]";
  }
}
