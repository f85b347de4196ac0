package dev.loam;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An Automerge document: a JSON-like tree of maps, lists, text and scalars with its full history,
 * which merges concurrent edits from any number of actors.
 *
 * <p>Create one with {@link #create()} or {@link #load(byte[])}. Writes made directly on the
 * document go into an implicit transaction that is committed by {@link #commit()} or before any
 * operation that reads the history (heads, changes, save, fork, merge, apply); {@link #transact}
 * runs an explicit transaction.
 *
 * <p>Not thread-safe: confine a document to one thread or guard it (the repo's {@code DocHandle}
 * does).
 */
public final class Document implements Transaction {
  private Document() {}

  /** A new empty document with a random actor and the system clock. */
  public static Document create() {
    throw new UnsupportedOperationException();
  }

  public static Document create(ActorId actor) {
    throw new UnsupportedOperationException();
  }

  /** A new empty document writing as {@code actor}, taking commit times from {@code clock}. */
  public static Document create(ActorId actor, InstantSource clock) {
    throw new UnsupportedOperationException();
  }

  /**
   * Loads an Automerge file: any sequence of document and change chunks (also deflated change
   * chunks). Strict: any bad byte, or a change whose dependencies are still missing at the end of
   * a file of change chunks, is a {@link DecodeException}. Changes after a document chunk that
   * wait for dependencies are kept waiting.
   */
  public static Document load(byte[] bytes) {
    throw new UnsupportedOperationException();
  }

  public ActorId actor() {
    throw new UnsupportedOperationException();
  }

  /** Writes from now on are made as {@code actor}; commits a pending implicit transaction first. */
  public void setActor(ActorId actor) {
    throw new UnsupportedOperationException();
  }

  /** Runs {@code body} in a transaction and commits it; returns the new change's hash, or empty if it emitted no operation. */
  public Optional<ChangeHash> transact(Consumer<Transaction> body) {
    throw new UnsupportedOperationException();
  }

  public Optional<ChangeHash> transact(CommitOptions options, Consumer<Transaction> body) {
    throw new UnsupportedOperationException();
  }

  /** Commits the implicit transaction of writes made directly on the document. */
  public Optional<ChangeHash> commit() {
    throw new UnsupportedOperationException();
  }

  public Optional<ChangeHash> commit(CommitOptions options) {
    throw new UnsupportedOperationException();
  }

  /** Drops the uncommitted writes made directly on the document; returns how many ops were dropped. */
  public int rollback() {
    throw new UnsupportedOperationException();
  }

  public Heads heads() {
    throw new UnsupportedOperationException();
  }

  /** Every change, dependencies before dependents, in the order they were applied. */
  public List<Change> changes() {
    throw new UnsupportedOperationException();
  }

  /** The changes not reachable from {@code have}, in application order (JS {@code getChanges}). */
  public List<Change> changesSince(Heads have) {
    throw new UnsupportedOperationException();
  }

  public Optional<Change> change(ChangeHash hash) {
    throw new UnsupportedOperationException();
  }

  /** Hashes that queued changes or {@code heads} depend on but the document lacks, sorted. */
  public List<ChangeHash> missingDeps(Heads heads) {
    throw new UnsupportedOperationException();
  }

  /**
   * Applies change chunks (each element one or more concatenated chunks). Changes whose
   * dependencies are missing wait until they arrive; duplicates are ignored. Corrupt input is
   * rejected whole and leaves the document untouched.
   */
  public LoadResult applyChanges(List<byte[]> changes) {
    throw new UnsupportedOperationException();
  }

  /**
   * Applies a sequence of document and change chunks. A torn final chunk is reported in the
   * result and skipped; the complete chunks before it are applied. Any other corruption is
   * rejected whole, leaving the document untouched.
   */
  public LoadResult loadIncremental(byte[] bytes) {
    throw new UnsupportedOperationException();
  }

  /** An independent copy with the same history and a new random actor. */
  public Document fork() {
    throw new UnsupportedOperationException();
  }

  /** An independent copy of the state at {@code heads}, with a new random actor. */
  public Document fork(Heads heads) {
    throw new UnsupportedOperationException();
  }

  /** Applies every change of {@code other} this document lacks; returns the patches. */
  public List<Patch> merge(Document other) {
    throw new UnsupportedOperationException();
  }

  /** The patches that turn the state at {@code before} into the state at {@code after}. */
  public List<Patch> diff(Heads before, Heads after) {
    throw new UnsupportedOperationException();
  }

  /** The whole document as one line of JSON (the mapping {@code loam doc json} prints). */
  public String toJson() {
    throw new UnsupportedOperationException();
  }

  public String toJson(Heads heads) {
    throw new UnsupportedOperationException();
  }

  /** The whole history as concatenated change chunks, a valid Automerge file. */
  public byte[] saveChanges() {
    throw new UnsupportedOperationException();
  }

  // ---- ReadDoc and Transaction (auto-commit writes) ----

  @Override public Optional<ObjType> objType(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public Optional<ObjType> objType(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public Optional<Value> get(ObjId obj, String key) { throw new UnsupportedOperationException(); }
  @Override public Optional<Value> get(ObjId obj, String key, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public Optional<Value> get(ObjId obj, int index) { throw new UnsupportedOperationException(); }
  @Override public Optional<Value> get(ObjId obj, int index, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public List<Value> getAll(ObjId obj, String key) { throw new UnsupportedOperationException(); }
  @Override public List<Value> getAll(ObjId obj, String key, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public List<Value> getAll(ObjId obj, int index) { throw new UnsupportedOperationException(); }
  @Override public List<Value> getAll(ObjId obj, int index, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public List<String> keys(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public List<String> keys(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public int length(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public int length(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public String text(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public String text(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public List<Mark> marks(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public List<Mark> marks(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public Object materialize(ObjId obj) { throw new UnsupportedOperationException(); }
  @Override public Object materialize(ObjId obj, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move) { throw new UnsupportedOperationException(); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor) { throw new UnsupportedOperationException(); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor, Heads heads) { throw new UnsupportedOperationException(); }
  @Override public void put(ObjId obj, String key, ScalarValue value) { throw new UnsupportedOperationException(); }
  @Override public void put(ObjId obj, int index, ScalarValue value) { throw new UnsupportedOperationException(); }
  @Override public ObjId putObject(ObjId obj, String key, ObjType type) { throw new UnsupportedOperationException(); }
  @Override public ObjId putObject(ObjId obj, int index, ObjType type) { throw new UnsupportedOperationException(); }
  @Override public void insert(ObjId obj, int index, ScalarValue value) { throw new UnsupportedOperationException(); }
  @Override public ObjId insertObject(ObjId obj, int index, ObjType type) { throw new UnsupportedOperationException(); }
  @Override public void delete(ObjId obj, String key) { throw new UnsupportedOperationException(); }
  @Override public void delete(ObjId obj, int index) { throw new UnsupportedOperationException(); }
  @Override public void increment(ObjId obj, String key, long by) { throw new UnsupportedOperationException(); }
  @Override public void increment(ObjId obj, int index, long by) { throw new UnsupportedOperationException(); }
  @Override public void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) { throw new UnsupportedOperationException(); }
  @Override public void spliceText(ObjId obj, int index, int deleteCount, String text) { throw new UnsupportedOperationException(); }
  @Override public void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand) { throw new UnsupportedOperationException(); }
  @Override public void unmark(ObjId obj, int start, int end, String name, ExpandMark expand) { throw new UnsupportedOperationException(); }
  @Override public int pendingOps() { throw new UnsupportedOperationException(); }
}
