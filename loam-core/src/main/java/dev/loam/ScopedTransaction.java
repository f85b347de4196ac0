package dev.loam;

import dev.loam.internal.doc.Clock;
import dev.loam.internal.doc.DocEngine;
import dev.loam.internal.doc.DocReader;
import dev.loam.internal.doc.LocalTx;

/**
 * The {@link Transaction} one {@link Document#transact} body gets: a fresh object bound to its own
 * local transaction, closed when the body ends (normally or by throwing). A closed transaction
 * refuses every read and write with {@link InvalidOperationException}, so a transaction kept after
 * its body cannot write into a later one. Not thread-safe: confined with its document.
 */
final class ScopedTransaction extends TransactionBase {
  private final DocumentCore core;
  private final LocalTx tx;
  private boolean open = true;

  ScopedTransaction(DocumentCore core, LocalTx tx) {
    this.core = core;
    this.tx = tx;
  }

  /** Called once, when the body ends; every later call throws. */
  void close() {
    open = false;
  }

  private void requireOpen() {
    if (!open) {
      throw new InvalidOperationException(
          "this transaction is closed: its transact body has ended, so it can no longer read or write");
    }
  }

  @Override
  DocReader reader() {
    requireOpen();
    return core.reader();
  }

  @Override
  Clock clockAt(Heads heads) {
    requireOpen();
    return core.clockAt(heads);
  }

  @Override
  LocalTx tx() {
    requireOpen();
    return tx;
  }

  @Override
  DocEngine engine() {
    requireOpen();
    return core.engine();
  }

  @Override
  public int pendingOps() {
    requireOpen();
    return tx.opCount();
  }
}
