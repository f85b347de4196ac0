package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The content of an envelope before compression: the actor ids its changes are written as and the
 * change chunks themselves. One encoding per value (actors strictly ascending, shortest varints,
 * nothing after the last change).
 *
 * <pre>
 * +--------------+---------------------------------------------------------+
 * | actor count  | uLEB, at most {@value #MAX_ACTORS}                       |
 * | actors       | count x 32-byte bound actor ids, strictly ascending     |
 * | change count | uLEB, at most {@value #MAX_CHANGES}                      |
 * | changes      | count x (uLEB length, one change chunk)                 |
 * +--------------+---------------------------------------------------------+
 * </pre>
 *
 * @param actors the declared actors, ascending
 * @param changes the change chunks, dependencies before dependents
 */
record Payload(List<ActorId> actors, List<Bytes> changes) {
  static final int MAX_ACTORS = 1024;
  static final int MAX_CHANGES = 1 << 20;

  Payload {
    actors = List.copyOf(new TreeSet<>(actors));
    changes = List.copyOf(changes);
  }

  byte[] encode() {
    Codec.Writer w = new Codec.Writer().list(actors, a -> Bytes.wrap(a.toByteArray())).varint(changes.size());
    for (Bytes c : changes) {
      w.blob(c);
    }
    return w.toByteArray();
  }

  /**
   * Reads a payload.
   *
   * @throws EnvelopeOpenException if {@code bytes} is not exactly one canonical payload
   */
  static Payload decode(byte[] bytes) {
    try {
      Codec.Reader in = new Codec.Reader(bytes, 0);
      List<ActorId> actors = new ArrayList<>();
      for (Bytes a : in.sortedList(MAX_ACTORS, BoundActor.LENGTH, "declared actors")) {
        actors.add(ActorId.of(a.toByteArray()));
      }
      int changeCount = in.varint(MAX_CHANGES, "number of changes");
      List<Bytes> changes = new ArrayList<>(Math.min(changeCount, 1024));
      for (int i = 0; i < changeCount; i++) {
        changes.add(in.blob(in.remaining(), "change"));
      }
      in.end("payload");
      return new Payload(actors, changes);
    } catch (MalformedItemException e) {
      throw new EnvelopeOpenException("a malformed payload: " + e.getMessage(), e);
    }
  }

  /** The declared actors as a set. */
  Set<ActorId> actorSet() {
    return Set.copyOf(actors);
  }
}
