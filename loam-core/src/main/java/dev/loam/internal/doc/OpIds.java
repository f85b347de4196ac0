package dev.loam.internal.doc;

/**
 * Operation ids packed into a {@code long}: the counter in the high 44 bits, the document's actor
 * index in the low 20. Zero is the head of a sequence (and the root object); no real op has
 * counter 0.
 */
final class OpIds {
  static final int ACTOR_BITS = 20;
  static final int MAX_ACTORS = 1 << ACTOR_BITS;
  static final long MAX_COUNTER = 0xFFFF_FFFFL;
  static final long HEAD = 0;

  private OpIds() {}

  static long pack(long counter, int actor) {
    return (counter << ACTOR_BITS) | actor;
  }

  static long counter(long id) {
    return id >>> ACTOR_BITS;
  }

  static int actor(long id) {
    return (int) (id & (MAX_ACTORS - 1));
  }
}
