package dev.loam.internal.doc;

import dev.loam.LoamException;

/** A batch of changes was refused because too many of them would wait for missing dependencies. */
public final class QueueLimitException extends LoamException {
  private final int waiting;
  private final int limit;

  public QueueLimitException(int waiting, int limit) {
    super(waiting + " changes would wait for missing dependencies; the limit is " + limit);
    this.waiting = waiting;
    this.limit = limit;
  }

  public int waiting() {
    return waiting;
  }

  public int limit() {
    return limit;
  }
}
