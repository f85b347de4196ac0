package dev.loam;

import dev.loam.internal.doc.Clock;
import dev.loam.internal.doc.Cursors;
import dev.loam.internal.doc.DocEngine;
import dev.loam.internal.doc.DocReader;
import dev.loam.internal.doc.EngineAccess;
import dev.loam.internal.doc.LocalTx;
import java.util.List;
import java.util.Optional;

/**
 * Every read and write of {@link Transaction}, written once over three primitives: the reader of
 * the current state, the clock of a past state, and the local transaction that writes go to.
 * {@link Document} (reads of the document, writes into its implicit transaction) and {@link
 * ScopedTransaction} (the object a {@code transact} body gets, which refuses every call once the
 * body has ended) differ only in those primitives. Not thread-safe.
 */
abstract sealed class TransactionBase implements Transaction permits Document, ScopedTransaction {
  static {
    EngineAccess.register(new EngineAccess.Door() {
      @Override
      public DocEngine engine(Transaction t) {
        return loam(t).engine();
      }

      @Override
      public LocalTx localTx(Transaction t) {
        return loam(t).tx();
      }

      private TransactionBase loam(Transaction t) {
        if (!(t instanceof TransactionBase b)) {
          throw new IllegalArgumentException("not a Loam document or transaction: " + t.getClass().getName());
        }
        return b;
      }
    });
  }

  /** The engine behind the document, as it is (nothing committed): for {@link EngineAccess}. */
  abstract DocEngine engine();

  /** The reader of the current state, pending writes included; fetched per call (a rollback replaces it). */
  abstract DocReader reader();

  /** The clock of the state at {@code heads}, for the historical twin of every read. */
  abstract Clock clockAt(Heads heads);

  /** The open local transaction that writes go to. */
  abstract LocalTx tx();

  // ---- reads: now (no clock) and at heads ----

  @Override public final Optional<ObjType> objType(ObjId obj) { return reader().objType(obj, null); }
  @Override public final Optional<ObjType> objType(ObjId obj, Heads heads) { return reader().objType(obj, clockAt(heads)); }
  @Override public final Optional<Value> get(ObjId obj, String key) { return reader().get(obj, key, null); }
  @Override public final Optional<Value> get(ObjId obj, String key, Heads heads) { return reader().get(obj, key, clockAt(heads)); }
  @Override public final Optional<Value> get(ObjId obj, int index) { return reader().get(obj, index, null); }
  @Override public final Optional<Value> get(ObjId obj, int index, Heads heads) { return reader().get(obj, index, clockAt(heads)); }
  @Override public final List<Value> getAll(ObjId obj, String key) { return reader().getAll(obj, key, null); }
  @Override public final List<Value> getAll(ObjId obj, String key, Heads heads) { return reader().getAll(obj, key, clockAt(heads)); }
  @Override public final List<Value> getAll(ObjId obj, int index) { return reader().getAll(obj, index, null); }
  @Override public final List<Value> getAll(ObjId obj, int index, Heads heads) { return reader().getAll(obj, index, clockAt(heads)); }
  @Override public final List<String> keys(ObjId obj) { return reader().keys(obj, null); }
  @Override public final List<String> keys(ObjId obj, Heads heads) { return reader().keys(obj, clockAt(heads)); }
  @Override public final int length(ObjId obj) { return reader().length(obj, null); }
  @Override public final int length(ObjId obj, Heads heads) { return reader().length(obj, clockAt(heads)); }
  @Override public final String text(ObjId obj) { return reader().text(obj, null); }
  @Override public final String text(ObjId obj, Heads heads) { return reader().text(obj, clockAt(heads)); }
  @Override public final List<Mark> marks(ObjId obj) { return reader().marks(obj, null); }
  @Override public final List<Mark> marks(ObjId obj, Heads heads) { return reader().marks(obj, clockAt(heads)); }
  @Override public final Object materialize(ObjId obj) { return reader().materialize(obj, null); }
  @Override public final Object materialize(ObjId obj, Heads heads) { return reader().materialize(obj, clockAt(heads)); }
  @Override public final Cursor cursor(ObjId obj, int index, Cursor.Move move) { return Cursors.cursor(reader(), obj, index, move, null); }
  @Override public final Cursor cursor(ObjId obj, int index, Cursor.Move move, Heads heads) { return Cursors.cursor(reader(), obj, index, move, clockAt(heads)); }
  @Override public final int resolveCursor(ObjId obj, Cursor cursor) { return Cursors.resolve(reader(), obj, cursor, null); }
  @Override public final int resolveCursor(ObjId obj, Cursor cursor, Heads heads) { return Cursors.resolve(reader(), obj, cursor, clockAt(heads)); }

  // ---- writes: into tx() ----

  @Override public final void put(ObjId obj, String key, ScalarValue value) { tx().put(obj, key, value); }
  @Override public final void put(ObjId obj, int index, ScalarValue value) { tx().put(obj, index, value); }
  @Override public final ObjId putObject(ObjId obj, String key, ObjType type) { return tx().putObject(obj, key, type); }
  @Override public final ObjId putObject(ObjId obj, int index, ObjType type) { return tx().putObject(obj, index, type); }
  @Override public final void insert(ObjId obj, int index, ScalarValue value) { tx().insert(obj, index, value); }
  @Override public final ObjId insertObject(ObjId obj, int index, ObjType type) { return tx().insertObject(obj, index, type); }
  @Override public final void delete(ObjId obj, String key) { tx().delete(obj, key); }
  @Override public final void delete(ObjId obj, int index) { tx().delete(obj, index); }
  @Override public final void increment(ObjId obj, String key, long by) { tx().increment(obj, key, by); }
  @Override public final void increment(ObjId obj, int index, long by) { tx().increment(obj, index, by); }
  @Override public final void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) { tx().splice(obj, index, deleteCount, values); }
  @Override public final void spliceText(ObjId obj, int index, int deleteCount, String text) { tx().spliceText(obj, index, deleteCount, text); }
  @Override public final void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand) { tx().mark(obj, start, end, name, value, expand); }
  @Override public final void unmark(ObjId obj, int start, int end, String name, ExpandMark expand) { tx().mark(obj, start, end, name, ScalarValue.NULL, expand); }
}
