package dev.loam.repo;

import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.repo.id.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A change to a handle's document: the heads before and after and the patches between them.
 * {@code peer} is the peer whose sync message brought it, or empty for a local change (one made
 * through {@link DocHandle#change}, or the document loaded from storage). Two changes are equal
 * when they name the same handle, heads and peer (the patches follow from those). Thread-safe.
 *
 * <p>The patches of a change a handle reports are computed when {@link #patches()} is first
 * called, not before: they are a diff of the document between the two heads, whose cost grows
 * with the document, so a listener that only needs to know that the document changed (to re-read
 * it, to index it, to relay it) does not pay for them.
 */
public final class DocChange {
  private final DocHandle handle;
  private final Heads before;
  private final Heads after;
  private final Optional<PeerId> peer;
  // null until computed; computed outside any monitor (the diff takes the handle's lock, which a
  // thread asking from inside DocHandle.read holds), so two first calls may both compute it: same list
  private volatile @Nullable List<Patch> patches;

  /** A change whose patches are already known. */
  public DocChange(DocHandle handle, Heads before, Heads after, List<Patch> patches, Optional<PeerId> peer) {
    this(handle, before, after, peer);
    this.patches = List.copyOf(patches);
  }

  private DocChange(DocHandle handle, Heads before, Heads after, Optional<PeerId> peer) {
    this.handle = Objects.requireNonNull(handle);
    this.before = Objects.requireNonNull(before);
    this.after = Objects.requireNonNull(after);
    this.peer = Objects.requireNonNull(peer);
  }

  /** A change whose patches are computed from {@code handle}'s document on first use. */
  static DocChange diffedOnDemand(DocHandle handle, Heads before, Heads after, Optional<PeerId> peer) {
    return new DocChange(handle, before, after, peer);
  }

  /** The handle whose document changed. */
  public DocHandle handle() {
    return handle;
  }

  /** The document's heads before the change. */
  public Heads before() {
    return before;
  }

  /** The document's heads after the change. */
  public Heads after() {
    return after;
  }

  /** The peer whose sync message brought the change; empty for a local change. */
  public Optional<PeerId> peer() {
    return peer;
  }

  /** Whether this repo made it rather than a peer. */
  public boolean local() {
    return peer.isEmpty();
  }

  /**
   * What changed between {@link #before()} and {@link #after()}, as {@link dev.loam.Document#diff}
   * gives it. The first call computes them under the handle's memory lock, as {@link
   * DocHandle#read} does (it costs the size of the document); later calls return the same list
   * (two first calls at once may each compute it).
   *
   * @throws dev.loam.InvalidOperationException if the handle's document no longer holds those heads
   *     (it was deleted since)
   */
  public List<Patch> patches() {
    List<Patch> p = patches;
    if (p == null) {
      p = List.copyOf(handle.read(d -> d.diff(before, after)));
      patches = p;
    }
    return p;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DocChange c && handle == c.handle && before.equals(c.before) && after.equals(c.after)
        && peer.equals(c.peer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(handle, before, after, peer);
  }

  @Override
  public String toString() {
    return "DocChange[" + handle.url() + ", before=" + before + ", after=" + after + ", peer=" + peer + "]";
  }
}
