package dev.loam.internal.doc;

import dev.loam.Cursor;
import dev.loam.ExpandMark;
import dev.loam.Heads;
import dev.loam.InvalidOperationException;
import dev.loam.Mark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Patch;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Transaction} view of a {@link DocEngine}: reads answer from the op set (now or at
 * heads), writes go to the engine's open local transaction. {@code Document} hands this object to
 * {@code transact} bodies and delegates to it.
 */
public final class Facade implements Transaction {
  private final DocEngine engine;

  public Facade(DocEngine engine) {
    this.engine = engine;
  }

  private DocReader r() {
    return engine.reader();
  }

  private Clock clock(Heads heads) {
    return engine.clockAt(heads);
  }

  private LocalTx tx() {
    LocalTx t = engine.current();
    if (t == null) {
      throw new InvalidOperationException("this transaction is closed");
    }
    return t;
  }

  public List<Patch> diff(Heads before, Heads after) {
    return new Differ(engine).diff(before, after);
  }

  @Override public Optional<ObjType> objType(ObjId obj) { return r().objType(obj, null); }
  @Override public Optional<ObjType> objType(ObjId obj, Heads heads) { return r().objType(obj, clock(heads)); }
  @Override public Optional<Value> get(ObjId obj, String key) { return r().get(obj, key, null); }
  @Override public Optional<Value> get(ObjId obj, String key, Heads heads) { return r().get(obj, key, clock(heads)); }
  @Override public Optional<Value> get(ObjId obj, int index) { return r().get(obj, index, null); }
  @Override public Optional<Value> get(ObjId obj, int index, Heads heads) { return r().get(obj, index, clock(heads)); }
  @Override public List<Value> getAll(ObjId obj, String key) { return r().getAll(obj, key, null); }
  @Override public List<Value> getAll(ObjId obj, String key, Heads heads) { return r().getAll(obj, key, clock(heads)); }
  @Override public List<Value> getAll(ObjId obj, int index) { return r().getAll(obj, index, null); }
  @Override public List<Value> getAll(ObjId obj, int index, Heads heads) { return r().getAll(obj, index, clock(heads)); }
  @Override public List<String> keys(ObjId obj) { return r().keys(obj, null); }
  @Override public List<String> keys(ObjId obj, Heads heads) { return r().keys(obj, clock(heads)); }
  @Override public int length(ObjId obj) { return r().length(obj, null); }
  @Override public int length(ObjId obj, Heads heads) { return r().length(obj, clock(heads)); }
  @Override public String text(ObjId obj) { return r().text(obj, null); }
  @Override public String text(ObjId obj, Heads heads) { return r().text(obj, clock(heads)); }
  @Override public List<Mark> marks(ObjId obj) { return r().marks(obj, null); }
  @Override public List<Mark> marks(ObjId obj, Heads heads) { return r().marks(obj, clock(heads)); }
  @Override public Object materialize(ObjId obj) { return r().materialize(obj, null); }
  @Override public Object materialize(ObjId obj, Heads heads) { return r().materialize(obj, clock(heads)); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move) { return Cursors.cursor(engine, obj, index, move, null); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move, Heads heads) { return Cursors.cursor(engine, obj, index, move, clock(heads)); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor) { return Cursors.resolve(engine, obj, cursor, null); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor, Heads heads) { return Cursors.resolve(engine, obj, cursor, clock(heads)); }

  @Override public void put(ObjId obj, String key, ScalarValue value) { tx().put(obj, key, value); }
  @Override public void put(ObjId obj, int index, ScalarValue value) { tx().put(obj, index, value); }
  @Override public ObjId putObject(ObjId obj, String key, ObjType type) { return tx().putObject(obj, key, type); }
  @Override public ObjId putObject(ObjId obj, int index, ObjType type) { return tx().putObject(obj, index, type); }
  @Override public void insert(ObjId obj, int index, ScalarValue value) { tx().insert(obj, index, value); }
  @Override public ObjId insertObject(ObjId obj, int index, ObjType type) { return tx().insertObject(obj, index, type); }
  @Override public void delete(ObjId obj, String key) { tx().delete(obj, key); }
  @Override public void delete(ObjId obj, int index) { tx().delete(obj, index); }
  @Override public void increment(ObjId obj, String key, long by) { tx().increment(obj, key, by); }
  @Override public void increment(ObjId obj, int index, long by) { tx().increment(obj, index, by); }
  @Override public void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) { tx().splice(obj, index, deleteCount, values); }
  @Override public void spliceText(ObjId obj, int index, int deleteCount, String text) { tx().spliceText(obj, index, deleteCount, text); }
  @Override public void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand) { tx().mark(obj, start, end, name, value, expand); }
  @Override public void unmark(ObjId obj, int start, int end, String name, ExpandMark expand) { tx().mark(obj, start, end, name, ScalarValue.NULL, expand); }
  @Override public int pendingOps() { return engine.pendingOps(); }
}
