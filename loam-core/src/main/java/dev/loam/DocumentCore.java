package dev.loam;

import dev.loam.internal.doc.Clock;
import dev.loam.internal.doc.DocEngine;
import dev.loam.internal.doc.DocReader;
import dev.loam.internal.doc.LocalTx;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine of one {@link Document} and the one place that decides who writes to it: either the
 * implicit transaction of writes made directly on the document, or the single {@link
 * ScopedTransaction} of a running {@code transact} body. Not thread-safe: confined with its
 * document.
 *
 * <p>The history (heads, changes, save, apply, fork, merge, sync) is reachable only through
 * {@link #settled()}, which commits pending direct writes first: a method of {@code Document} that
 * reads the history cannot forget to commit, because it has no other way to the engine. Reads of
 * the current state ({@link #reader()}, {@link #clockAt}) see pending writes and commit nothing.
 */
final class DocumentCore {
  private final DocEngine engine;
  /** The transaction of the running {@code transact} body, or null outside one. */
  private @Nullable ScopedTransaction scope;

  DocumentCore(DocEngine engine) {
    this.engine = engine;
  }

  /** The engine as it is, pending writes and all: for the writes of a transaction, never for the history. */
  DocEngine engine() {
    return engine;
  }

  ActorId actor() {
    return engine.actor();
  }

  DocReader reader() {
    return engine.reader();
  }

  Clock clockAt(Heads heads) {
    return engine.clockAt(heads);
  }

  int pendingOps() {
    return engine.pendingOps();
  }

  /** The open implicit transaction, begun if none is open. */
  LocalTx implicitTx() {
    requireNoScope("write to the document directly");
    LocalTx tx = engine.current();
    return tx != null ? tx : engine.begin();
  }

  /** The engine with no transaction pending (direct writes committed): the only way to the history. */
  DocEngine settled() {
    requireNoScope("use the document's history");
    if (engine.inTransaction()) {
      engine.commit(null, null);
    }
    return engine;
  }

  /** Commits the implicit transaction, if one is open. */
  Optional<ChangeHash> commit(CommitOptions options) {
    requireNoScope("commit the document");
    if (!engine.inTransaction()) {
      return Optional.empty();
    }
    return Optional.ofNullable(engine.commit(options.message().orElse(null), timeOf(options)));
  }

  /** Drops the implicit transaction's writes; returns how many ops were dropped. */
  int rollback() {
    requireNoScope("roll back the document");
    return engine.rollback();
  }

  /**
   * Runs {@code body} with a fresh {@link ScopedTransaction} over a new local transaction, closes it
   * when the body ends, then commits (or, if the body threw, rolls back and rethrows).
   */
  Optional<ChangeHash> transact(CommitOptions options, Consumer<Transaction> body) {
    DocEngine e = settled();
    ScopedTransaction tx = new ScopedTransaction(this, e.begin());
    scope = tx;
    boolean done = false;
    try {
      body.accept(tx);
      done = true;
    } finally {
      tx.close();
      scope = null;
      if (!done) {
        e.rollback();
      }
    }
    return Optional.ofNullable(e.commit(options.message().orElse(null), timeOf(options)));
  }

  /** Records a change with no operations; returns its hash. */
  ChangeHash emptyChange(CommitOptions options) {
    DocEngine e = settled();
    e.begin();
    return e.commit(options.message().orElse(null), timeOf(options), true);
  }

  private static @Nullable Long timeOf(CommitOptions options) {
    return options.time().isPresent() ? Long.valueOf(options.time().getAsLong()) : null;
  }

  private void requireNoScope(String what) {
    if (scope != null) {
      throw new InvalidOperationException("cannot " + what + " while a transact body runs: use its Transaction");
    }
  }
}
