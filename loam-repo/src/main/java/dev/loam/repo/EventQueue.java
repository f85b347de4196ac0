package dev.loam.repo;

import dev.loam.repo.id.DocumentId;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A document's pending events (listener calls, future completions): queued under its memory lock
 * or on its task queue, run by whichever thread calls {@link #dispatch} next with no lock held, one
 * at a time, in the order they were queued. Thread-safe.
 */
final class EventQueue {
  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);
  private final DocumentId id;
  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean dispatching = new AtomicBoolean();

  EventQueue(DocumentId id) {
    this.id = id;
  }

  /** Queues {@code event}; it runs at the next {@link #dispatch}. */
  void add(Runnable event) {
    events.add(event);
  }

  /** Runs the queued events, unless another thread is running them (it then runs these too). */
  void dispatch() {
    while (!events.isEmpty() && dispatching.compareAndSet(false, true)) {
      try {
        Runnable event;
        while ((event = events.poll()) != null) {
          try {
            event.run();
          } catch (RuntimeException e) {
            log.error("document {}: a listener failed", id, e);
          }
        }
      } finally {
        dispatching.set(false);
      }
    }
  }
}
