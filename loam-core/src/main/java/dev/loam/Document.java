package dev.loam;

import dev.loam.internal.doc.Clock;
import dev.loam.internal.doc.DocEngine;
import dev.loam.internal.doc.SyncDoc;
import dev.loam.internal.doc.DocReader;
import dev.loam.internal.doc.Differ;
import dev.loam.internal.doc.LocalTx;
import dev.loam.internal.json.JsonWriter;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An Automerge document: a JSON-like tree of maps, lists, text and scalars with its full history,
 * which merges concurrent edits from any number of actors.
 *
 * <p>Create one with {@link #create()} or {@link #load(byte[])}. Writes made directly on the
 * document go into an implicit transaction that is committed by {@link #commit()} or before any
 * operation that reads the history (heads, changes, save, fork, merge, apply, sync); {@link
 * #transact} runs an explicit transaction: its body gets a fresh {@link Transaction} of its own,
 * which is closed when the body ends and throws {@link InvalidOperationException} on any later
 * call. While a body runs, the document itself refuses writes and history operations (reads of the
 * current state are fine).
 *
 * <p>Design note: Automerge's Rust crate keeps the two modes as two types ({@code Automerge} with
 * explicit transactions, {@code AutoCommit} with an implicit one), because there a transaction
 * mutably borrows its document and the compiler proves it is neither kept nor mixed with other
 * access. Java cannot borrow, so Loam keeps one public document type in auto-commit mode, the mode
 * JavaScript users know, and gives scoped explicit transactions the guarantees at run time
 * instead: each body's {@code Transaction} is a distinct object that refuses every call once
 * closed. One type means one {@code fork}/{@code merge}/{@code load}/sync surface for the repo and
 * its users. The hazard of mixing the modes, a history read that misses uncommitted writes, is
 * closed by construction: the history is reachable only through an accessor that commits pending
 * writes first, and the reads and writes shared with {@code Transaction} are written once, for
 * both.
 *
 * <p>Not thread-safe: confine a document to one thread or guard it (the repo's {@code DocHandle}
 * does).
 */
public final class Document extends TransactionBase {
  private final DocumentCore core;
  /** The heads at the last save or incremental save, for {@link #saveIncremental()}. */
  private Heads savedHeads = Heads.EMPTY;

  private Document(DocEngine engine) {
    this.core = new DocumentCore(engine);
  }

  /** The engine with pending direct writes committed: the only way to the history. */
  private DocEngine history() {
    return core.settled();
  }

  /** A new empty document with a random actor and the system clock. */
  public static Document create() {
    return create(ActorId.random(), InstantSource.system());
  }

  /** A new empty document writing as {@code actor}, with the system clock. */
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

  /** The actor this document writes its changes as. */
  public ActorId actor() {
    return core.actor();
  }

  /** Writes from now on are made as {@code actor}; commits a pending implicit transaction first. */
  public void setActor(ActorId actor) {
    history().setActor(actor);
  }

  /** Runs {@code body} in a transaction and commits it; returns the new change's hash, or empty if it emitted no operation. */
  public Optional<ChangeHash> transact(Consumer<Transaction> body) {
    return transact(CommitOptions.DEFAULT, body);
  }

  /**
   * Runs {@code body} in a transaction committed with {@code options}; pending direct writes are
   * committed first, as their own change. The body's {@link Transaction} is valid only while the
   * body runs: kept and used later, it throws {@link InvalidOperationException}. If {@code body}
   * throws, the transaction's writes are rolled back and the exception propagates.
   */
  public Optional<ChangeHash> transact(CommitOptions options, Consumer<Transaction> body) {
    return core.transact(options, body);
  }

  /** Commits the implicit transaction of writes made directly on the document. */
  public Optional<ChangeHash> commit() {
    return commit(CommitOptions.DEFAULT);
  }

  /** Commits the implicit transaction with {@code options}; empty if it holds no operation. */
  public Optional<ChangeHash> commit(CommitOptions options) {
    return core.commit(options);
  }

  /**
   * Records a change with no operations (Automerge's {@code emptyChange}): it moves the heads, so
   * a new document has history to sync even before its first write. Returns the change's hash.
   */
  public ChangeHash emptyChange(CommitOptions options) {
    return core.emptyChange(options);
  }

  /** Drops the uncommitted writes made directly on the document; returns how many ops were dropped. */
  public int rollback() {
    return core.rollback();
  }

  /** The current heads: the changes no other change depends on. */
  public Heads heads() {
    return history().heads();
  }

  /** Every change, dependencies before dependents, in the order they were applied. */
  public List<Change> changes() {
    return history().changes();
  }

  /** The changes not reachable from {@code have}, in application order (JS {@code getChanges}). */
  public List<Change> changesSince(Heads have) {
    return history().changesSince(have);
  }

  /**
   * Whether the history at {@code at} includes every change of {@code changes}: each is one of
   * those heads or an ancestor of one. Hashes of {@code at} that this document lacks are passed
   * over, and a change it lacks is included in no history it knows. Walks only the changes from
   * the oldest of {@code changes} on: whether a peer's heads include a recent change costs the
   * changes since it, not the whole history ({@link #changesSince} encodes every change it lists).
   */
  public boolean includes(Heads at, Heads changes) {
    return history().includes(at, changes);
  }

  /** The change with this hash, or empty if the document does not have it. */
  public Optional<Change> change(ChangeHash hash) {
    return Optional.ofNullable(history().change(hash));
  }

  /** Hashes that queued changes or {@code heads} depend on but the document lacks, sorted. */
  public List<ChangeHash> missingDeps(Heads heads) {
    return history().missingDeps(heads);
  }

  /**
   * Applies change chunks (each element one or more concatenated chunks). Changes whose
   * dependencies are missing wait until they arrive; duplicates are ignored. Corrupt input is
   * rejected whole and leaves the document untouched.
   */
  public LoadResult applyChanges(List<byte[]> changes) {
    return history().applyChunks(changes);
  }

  /**
   * Applies change chunks as {@link #applyChanges(List)} does, then tells {@code eachChange}, in
   * the order they were applied, each change and its patches: what it did to the state just
   * before it, computed while applying it, so the cost is that of the change's operations and not
   * of the document's size (Automerge's {@code applyChanges} with a patch callback). Applying a
   * change's patches in order to the state before it gives the state after it, with two
   * simplifications: marks are not reported, and an object that becomes visible again (a hidden
   * conflicting value exposed by a delete) comes as a put of the object, whose contents are those
   * of the state after. Paths are those of the state after the change. Nothing is told for a
   * batch that is rejected. Called on this thread, after the whole batch applied.
   */
  public LoadResult applyChanges(List<byte[]> changes, BiConsumer<Change, List<Patch>> eachChange) {
    var applied = history().applyChunksWithPatches(changes);
    for (var e : applied.getValue()) {
      eachChange.accept(change(e.getKey()).orElseThrow(), e.getValue());
    }
    return applied.getKey();
  }

  /**
   * Applies a sequence of document and change chunks. A torn final chunk is reported in the
   * result and skipped; the complete chunks before it are applied. Any other corruption is
   * rejected whole, leaving the document untouched.
   */
  public LoadResult loadIncremental(byte[] bytes) {
    return history().loadIncremental(bytes);
  }

  /**
   * An independent copy with the same history and a new random actor; it takes commit times from
   * this document's clock.
   */
  public Document fork() {
    DocEngine source = history();
    Document d = create(ActorId.random(), source.commitTimeSource());
    d.history().copyFrom(source);
    return d;
  }

  /** An independent copy of the state at {@code heads}, with a new random actor and this document's clock. */
  public Document fork(Heads heads) {
    DocEngine source = history();
    List<byte[]> chunks = source.chunksUpTo(heads);
    Document d = create(ActorId.random(), source.commitTimeSource());
    d.history().applyChunks(chunks);
    return d;
  }

  /** Applies every change of {@code other} this document lacks; returns the patches. */
  public List<Patch> merge(Document other) {
    return history().merge(other.history()).patches();
  }

  /** The patches that turn the state at {@code before} into the state at {@code after}. */
  public List<Patch> diff(Heads before, Heads after) {
    return new Differ(history()).diff(before, after);
  }

  /** The whole document as one line of JSON (the mapping {@code loam doc json} prints). */
  public String toJson() {
    return JsonWriter.write(materialize(ObjId.ROOT));
  }

  /** As {@link #toJson()}, as of {@code heads}. */
  public String toJson(Heads heads) {
    return JsonWriter.write(materialize(ObjId.ROOT, heads));
  }

  /**
   * The whole document as one compact Automerge document chunk, followed by any changes still
   * waiting for dependencies as change chunks, exactly as Automerge's {@code save()} writes it.
   * The columns of a large document are compressed on the common fork-join pool as well as on the
   * calling thread, which waits for them; a save with no change since the previous one reuses it.
   */
  public byte[] save() {
    DocEngine e = history();
    byte[] out = e.save(true);
    savedHeads = e.heads();
    return out;
  }

  /** The changes since the last {@link #save()} or {@code saveIncremental()}, as concatenated change chunks. */
  public byte[] saveIncremental() {
    byte[] out = saveSince(savedHeads);
    savedHeads = history().heads();
    return out;
  }

  /** The changes not reachable from {@code heads}, as concatenated change chunks (empty if none). */
  public byte[] saveSince(Heads heads) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Change c : history().changesSince(heads)) {
      out.writeBytes(c.bytes().toByteArray());
    }
    return out.toByteArray();
  }

  /** The whole history as concatenated change chunks (waiting changes last), a valid Automerge file. */
  public byte[] saveChanges() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] c : history().chunks(true)) {
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
    return history();
  }

  // ---- the primitives of TransactionBase: the current state, and the implicit transaction ----

  @Override
  DocReader reader() {
    return core.reader();
  }

  @Override
  Clock clockAt(Heads heads) {
    return core.clockAt(heads);
  }

  @Override
  LocalTx tx() {
    return core.implicitTx();
  }

  @Override
  DocEngine engine() {
    return core.engine();
  }

  @Override
  public int pendingOps() {
    return core.pendingOps();
  }
}
