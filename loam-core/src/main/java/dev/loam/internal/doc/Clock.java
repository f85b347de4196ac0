package dev.loam.internal.doc;

/** The ops a past state of the document contains: per actor, the greatest op counter covered. */
public final class Clock {
  private final long[] max;

  Clock(long[] max) {
    this.max = max;
  }

  boolean covers(long opId) {
    int a = OpIds.actor(opId);
    return a < max.length && OpIds.counter(opId) <= max[a];
  }
}
