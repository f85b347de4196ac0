package dev.loam;

import dev.loam.internal.doc.DocEngine;
import dev.loam.internal.doc.Facade;
import dev.loam.internal.doc.SyncDoc;
import dev.loam.internal.json.JsonWriter;
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
  private final DocEngine engine;
  private final Facade facade;
  /** The heads at the last save or incremental save, for {@link #saveIncremental()}. */
  private Heads savedHeads = Heads.EMPTY;

  private Document(DocEngine engine) {
    this.engine = engine;
    this.facade = new Facade(engine);
  }

  /** A new empty document with a random actor and the system clock. */
  public static Document create() {
    return create(ActorId.random(), InstantSource.system());
  }

  public static Document create(ActorId actor) {
    return create(actor, InstantSource.system());
  }

  /** A new empty document writing as {@code actor}, taking commit times from {@code clock}. */
  public static Document create(ActorId actor, InstantSource clock) {
    return new Document(new DocEngine(actor, clock));
  }

  /**
   * Loads an Automerge file: any sequence of document and change chunks (also deflated change
   * chunks). Strict: any bad byte, or a change whose dependencies are still missing at the end of
   * a file of change chunks, is a {@link DecodeException}. Changes after a document chunk that
   * wait for dependencies are kept waiting.
   */
  public static Document load(byte[] bytes) {
    return load(bytes, ActorId.random());
  }

  /**
   * Loads {@code bytes} (as {@link #load(byte[])}) within the ceilings of {@code options}, which
   * the document keeps for its later {@code loadIncremental} and {@code applyChanges} calls.
   */
  public static Document load(byte[] bytes, LoadOptions options) {
    DocEngine e = new DocEngine(ActorId.random(), InstantSource.system());
    e.setDecodeLimits(new dev.loam.internal.codec.DecodeLimits(options.maxOpsPerChunk(), options.maxInflatedBytes()));
    e.loadStrict(bytes, options.defersVerification());
    return new Document(e);
  }

  /** Loads {@code bytes} (as {@link #load(byte[])}) into a document that writes as {@code actor}. */
  public static Document load(byte[] bytes, ActorId actor) {
    DocEngine e = new DocEngine(actor, InstantSource.system());
    e.loadStrict(bytes);
    return new Document(e);
  }

  public ActorId actor() {
    return engine.actor();
  }

  /** Writes from now on are made as {@code actor}; commits a pending implicit transaction first. */
  public void setActor(ActorId actor) {
    commit();
    engine.setActor(actor);
  }

  /** Runs {@code body} in a transaction and commits it; returns the new change's hash, or empty if it emitted no operation. */
  public Optional<ChangeHash> transact(Consumer<Transaction> body) {
    return transact(CommitOptions.DEFAULT, body);
  }

  /**
   * Runs {@code body} in a transaction committed with {@code options}. If {@code body} throws, the
   * transaction's writes are rolled back and the exception propagates.
   */
  public Optional<ChangeHash> transact(CommitOptions options, Consumer<Transaction> body) {
    commit();
    engine.begin();
    try {
      body.accept(facade);
    } catch (RuntimeException | Error e) {
      engine.rollback();
      throw e;
    }
    return Optional.ofNullable(engine.commit(options.message(), options.time()));
  }

  /** Commits the implicit transaction of writes made directly on the document. */
  public Optional<ChangeHash> commit() {
    return commit(CommitOptions.DEFAULT);
  }

  public Optional<ChangeHash> commit(CommitOptions options) {
    if (!engine.inTransaction()) {
      return Optional.empty();
    }
    return Optional.ofNullable(engine.commit(options.message(), options.time()));
  }

  /**
   * Records a change with no operations (Automerge's {@code emptyChange}): it moves the heads, so
   * a new document has history to sync even before its first write. Returns the change's hash.
   */
  public ChangeHash emptyChange(CommitOptions options) {
    commit();
    engine.begin();
    return engine.commit(options.message(), options.time(), true);
  }

  /** Drops the uncommitted writes made directly on the document; returns how many ops were dropped. */
  public int rollback() {
    return engine.rollback();
  }

  public Heads heads() {
    commit();
    return engine.heads();
  }

  /** Every change, dependencies before dependents, in the order they were applied. */
  public List<Change> changes() {
    commit();
    return engine.changes();
  }

  /** The changes not reachable from {@code have}, in application order (JS {@code getChanges}). */
  public List<Change> changesSince(Heads have) {
    commit();
    return engine.changesSince(have);
  }

  public Optional<Change> change(ChangeHash hash) {
    commit();
    return Optional.ofNullable(engine.change(hash));
  }

  /** Hashes that queued changes or {@code heads} depend on but the document lacks, sorted. */
  public List<ChangeHash> missingDeps(Heads heads) {
    commit();
    return engine.missingDeps(heads);
  }

  /**
   * Applies change chunks (each element one or more concatenated chunks). Changes whose
   * dependencies are missing wait until they arrive; duplicates are ignored. Corrupt input is
   * rejected whole and leaves the document untouched.
   */
  public LoadResult applyChanges(List<byte[]> changes) {
    commit();
    return engine.applyChunks(changes);
  }

  /**
   * Applies a sequence of document and change chunks. A torn final chunk is reported in the
   * result and skipped; the complete chunks before it are applied. Any other corruption is
   * rejected whole, leaving the document untouched.
   */
  public LoadResult loadIncremental(byte[] bytes) {
    commit();
    return engine.loadIncremental(bytes);
  }

  /** An independent copy with the same history and a new random actor. */
  public Document fork() {
    commit();
    Document d = create(ActorId.random());
    d.engine.copyFrom(engine);
    return d;
  }

  /** An independent copy of the state at {@code heads}, with a new random actor. */
  public Document fork(Heads heads) {
    commit();
    Document d = create(ActorId.random());
    d.engine.applyChunks(engine.chunksUpTo(heads));
    return d;
  }

  /** Applies every change of {@code other} this document lacks; returns the patches. */
  public List<Patch> merge(Document other) {
    commit();
    other.commit();
    return engine.merge(other.engine).patches();
  }

  /** The patches that turn the state at {@code before} into the state at {@code after}. */
  public List<Patch> diff(Heads before, Heads after) {
    commit();
    return facade.diff(before, after);
  }

  /** The whole document as one line of JSON (the mapping {@code loam doc json} prints). */
  public String toJson() {
    return JsonWriter.write(materialize(ObjId.ROOT));
  }

  public String toJson(Heads heads) {
    return JsonWriter.write(materialize(ObjId.ROOT, heads));
  }

  /**
   * The whole document as one compact Automerge document chunk, followed by any changes still
   * waiting for dependencies as change chunks, exactly as Automerge's {@code save()} writes it.
   */
  public byte[] save() {
    commit();
    byte[] out = engine.save(true);
    savedHeads = engine.heads();
    return out;
  }

  /** The changes since the last {@link #save()} or {@code saveIncremental()}, as concatenated change chunks. */
  public byte[] saveIncremental() {
    byte[] out = saveSince(savedHeads);
    savedHeads = engine.heads();
    return out;
  }

  /** The changes not reachable from {@code heads}, as concatenated change chunks (empty if none). */
  public byte[] saveSince(Heads heads) {
    commit();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Change c : engine.changesSince(heads)) {
      out.writeBytes(c.bytes().toByteArray());
    }
    return out.toByteArray();
  }

  /** The whole history as concatenated change chunks (waiting changes last), a valid Automerge file. */
  public byte[] saveChanges() {
    commit();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] c : engine.chunks(true)) {
      out.writeBytes(c);
    }
    return out.toByteArray();
  }

  /**
   * This document as Loam's sync protocol sees it ({@code dev.loam.sync.Sync}), after committing
   * the implicit transaction. Not API: the type is in a package the module does not export.
   */
  @SuppressWarnings("exports") // deliberately unusable outside the module: the sync package's door to the engine
  public SyncDoc syncDoc() {
    commit();
    return engine;
  }

  /** Starts the implicit transaction if none is open. */
  private Transaction auto() {
    if (!engine.inTransaction()) {
      engine.begin();
    }
    return facade;
  }

  // ---- ReadDoc ----

  @Override public Optional<ObjType> objType(ObjId obj) { return facade.objType(obj); }
  @Override public Optional<ObjType> objType(ObjId obj, Heads heads) { return facade.objType(obj, heads); }
  @Override public Optional<Value> get(ObjId obj, String key) { return facade.get(obj, key); }
  @Override public Optional<Value> get(ObjId obj, String key, Heads heads) { return facade.get(obj, key, heads); }
  @Override public Optional<Value> get(ObjId obj, int index) { return facade.get(obj, index); }
  @Override public Optional<Value> get(ObjId obj, int index, Heads heads) { return facade.get(obj, index, heads); }
  @Override public List<Value> getAll(ObjId obj, String key) { return facade.getAll(obj, key); }
  @Override public List<Value> getAll(ObjId obj, String key, Heads heads) { return facade.getAll(obj, key, heads); }
  @Override public List<Value> getAll(ObjId obj, int index) { return facade.getAll(obj, index); }
  @Override public List<Value> getAll(ObjId obj, int index, Heads heads) { return facade.getAll(obj, index, heads); }
  @Override public List<String> keys(ObjId obj) { return facade.keys(obj); }
  @Override public List<String> keys(ObjId obj, Heads heads) { return facade.keys(obj, heads); }
  @Override public int length(ObjId obj) { return facade.length(obj); }
  @Override public int length(ObjId obj, Heads heads) { return facade.length(obj, heads); }
  @Override public String text(ObjId obj) { return facade.text(obj); }
  @Override public String text(ObjId obj, Heads heads) { return facade.text(obj, heads); }
  @Override public List<Mark> marks(ObjId obj) { return facade.marks(obj); }
  @Override public List<Mark> marks(ObjId obj, Heads heads) { return facade.marks(obj, heads); }
  @Override public Object materialize(ObjId obj) { return facade.materialize(obj); }
  @Override public Object materialize(ObjId obj, Heads heads) { return facade.materialize(obj, heads); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move) { return facade.cursor(obj, index, move); }
  @Override public Cursor cursor(ObjId obj, int index, Cursor.Move move, Heads heads) { return facade.cursor(obj, index, move, heads); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor) { return facade.resolveCursor(obj, cursor); }
  @Override public int resolveCursor(ObjId obj, Cursor cursor, Heads heads) { return facade.resolveCursor(obj, cursor, heads); }

  // ---- writes: the implicit transaction ----

  @Override public void put(ObjId obj, String key, ScalarValue value) { auto().put(obj, key, value); }
  @Override public void put(ObjId obj, int index, ScalarValue value) { auto().put(obj, index, value); }
  @Override public ObjId putObject(ObjId obj, String key, ObjType type) { return auto().putObject(obj, key, type); }
  @Override public ObjId putObject(ObjId obj, int index, ObjType type) { return auto().putObject(obj, index, type); }
  @Override public void insert(ObjId obj, int index, ScalarValue value) { auto().insert(obj, index, value); }
  @Override public ObjId insertObject(ObjId obj, int index, ObjType type) { return auto().insertObject(obj, index, type); }
  @Override public void delete(ObjId obj, String key) { auto().delete(obj, key); }
  @Override public void delete(ObjId obj, int index) { auto().delete(obj, index); }
  @Override public void increment(ObjId obj, String key, long by) { auto().increment(obj, key, by); }
  @Override public void increment(ObjId obj, int index, long by) { auto().increment(obj, index, by); }
  @Override public void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) { auto().splice(obj, index, deleteCount, values); }
  @Override public void spliceText(ObjId obj, int index, int deleteCount, String text) { auto().spliceText(obj, index, deleteCount, text); }
  @Override public void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand) { auto().mark(obj, start, end, name, value, expand); }
  @Override public void unmark(ObjId obj, int start, int end, String name, ExpandMark expand) { auto().unmark(obj, start, end, name, expand); }
  @Override public int pendingOps() { return engine.pendingOps(); }
}
