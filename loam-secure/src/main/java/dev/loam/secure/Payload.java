package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeUleb(out, actors.size());
    for (ActorId a : actors) {
      out.writeBytes(a.toByteArray());
    }
    writeUleb(out, changes.size());
    for (Bytes c : changes) {
      writeUleb(out, c.size());
      out.writeBytes(c.toByteArray());
    }
    return out.toByteArray();
  }

  /**
   * Reads a payload.
   *
   * @throws EnvelopeOpenException if {@code bytes} is not exactly one canonical payload
   */
  static Payload decode(byte[] bytes) {
    PlainReader in = new PlainReader(bytes, 0, bytes.length);
    int actorCount = (int) in.uleb(MAX_ACTORS, "number of actors");
    List<ActorId> actors = new ArrayList<>(actorCount);
    byte[] previous = null;
    for (int i = 0; i < actorCount; i++) {
      byte[] a = in.take(BoundActor.LENGTH);
      if (previous != null && Arrays.compareUnsigned(previous, a) >= 0) {
        throw new EnvelopeOpenException("declared actors are not strictly ascending");
      }
      previous = a;
      actors.add(ActorId.of(a));
    }
    int changeCount = (int) in.uleb(MAX_CHANGES, "number of changes");
    List<Bytes> changes = new ArrayList<>(Math.min(changeCount, 1024));
    for (int i = 0; i < changeCount; i++) {
      changes.add(Bytes.wrap(in.take((int) in.uleb(in.remaining(), "change length"))));
    }
    if (!in.atEnd()) {
      throw new EnvelopeOpenException("bytes after the last change");
    }
    return new Payload(actors, changes);
  }

  /** The declared actors as a set. */
  Set<ActorId> actorSet() {
    return Set.copyOf(actors);
  }

  private static void writeUleb(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
