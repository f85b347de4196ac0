package dev.loam.repo.internal;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.DocumentHook;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.sync.SyncState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps documents in a {@link StorageAdapter} as automerge-repo keeps them, so the same storage
 * can be shared with a JS repo:
 *
 * <pre>
 * [docId, "snapshot",    sha256hex(utf8(hex(head1) ‖ hex(head2) ‖ …))]  a full save()
 * [docId, "incremental", sha256hex(bytes)]                              saveSince(last saved heads)
 * [docId, "sync-state",  peerStorageId]                                 an encoded SyncState
 * ["storage-adapter-id"]                                                this storage's UUID, UTF-8
 * </pre>
 *
 * <p>Loading concatenates every snapshot, then every incremental, and applies them with
 * {@link Document#loadIncremental}; chunks may overlap (a snapshot plus the incrementals it
 * replaced), which loading tolerates. If the concatenation does not load, each chunk is tried on
 * its own and unreadable ones are skipped with a warning.
 *
 * <p>Every chunk passes through the {@link DocumentHook}: {@code toStorage} when a save is written,
 * {@code fromStorage} when it is loaded (a chunk the hook rejects is skipped with a warning). All
 * writes to the adapter share a read-write lock that {@link #snapshot} takes exclusively.
 *
 * <p>Saving writes an incremental chunk, or compacts when the incrementals outweigh the snapshots
 * and total at least 1 KiB (automerge-repo compacts at every save while the snapshots are under
 * 1 KiB: a full save and a snapshot swap per keystroke on a small document, the largest cost of
 * a busy server's relay; loading reads either layout). Compaction writes the new snapshot
 * <em>before</em> removing the chunks it replaces, so a process that dies in between leaves
 * both, and no change is ever lost; on an adapter that writes {@linkplain StorageAdapter#atomically
 * atomically} (SQLite) the snapshot and the removals are one transaction, one commit instead of
 * one per removed chunk. A save that throws leaves the bookkeeping as it was: the next save
 * writes the same changes again.
 *
 * <p>Several processes may share one storage (servers over one database): each remembers per
 * document the chunks it loaded, wrote or {@linkplain NewChunks#absorbed absorbed}, and a
 * compaction removes only those, all of which its new snapshot holds, never a chunk another
 * process wrote meanwhile. {@link #readNew} reads what the others stored since.
 *
 * <p>Thread-safe. Calls about one document are serialised by a per-document lock; calls about
 * different documents run in parallel. The {@link Document} given to {@link #saveDoc} or
 * {@link #prepareSave} must not be changed by another thread during the call (a {@code DocHandle}
 * holds its memory lock for it); {@link PendingSave#write} no longer needs the document.
 */
public final class StorageSubsystem {
  private static final Logger log = LoggerFactory.getLogger(StorageSubsystem.class);
  static final String SNAPSHOT = "snapshot";
  static final String INCREMENTAL = "incremental";
  static final String SYNC_STATE = "sync-state";
  static final StorageKey STORAGE_ID_KEY = StorageKey.of("storage-adapter-id");
  /** Incrementals under this many bytes are never compacted (automerge-repo's small-snapshot constant). */
  static final int SMALL_SNAPSHOT = 1024;

  private enum ChunkType { SNAPSHOT, INCREMENTAL }

  private record ChunkInfo(StorageKey key, ChunkType type, int size) {}

  /** What this subsystem knows of one document's chunks; guarded by {@link #lock}. */
  private static final class DocState {
    final ReentrantLock lock = new ReentrantLock();
    @Nullable Heads lastSaved;
    List<ChunkInfo> chunks = new ArrayList<>();
  }

  private final StorageAdapter adapter;
  private final InstantSource clock;
  private final ConcurrentHashMap<DocumentId, DocState> docs = new ConcurrentHashMap<>();
  private final ReentrantLock idLock = new ReentrantLock();
  private @Nullable StorageId storageId;

  private final DocumentHook hook;
  /** Shared by every write call to the adapter, exclusive for {@link #snapshot}. */
  private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();
  private final StorageAdapter unguarded;
  private final SaveListener saveListener;

  /** Told after each chunk write of a document's changes; called on the writing thread, must not block long. */
  @FunctionalInterface
  public interface SaveListener {
    /** Storage now holds every change in {@code heads} of document {@code id}. */
    void saved(DocumentId id, Heads heads);

    SaveListener NONE = (id, heads) -> { };
  }

  /** A subsystem over {@code adapter} with the system clock and no document hook. */
  public StorageSubsystem(StorageAdapter adapter) {
    this(adapter, InstantSource.system(), DocumentHook.NONE);
  }

  /**
   * A subsystem over {@code adapter} whose loaded documents take commit times from {@code clock},
   * each chunk passed through {@code hook} on its way in and out.
   */
  public StorageSubsystem(StorageAdapter adapter, InstantSource clock, DocumentHook hook) {
    this(adapter, clock, hook, SaveListener.NONE);
  }

  /** As {@link #StorageSubsystem(StorageAdapter, InstantSource, DocumentHook)}, telling {@code saveListener} of each save. */
  public StorageSubsystem(StorageAdapter adapter, InstantSource clock, DocumentHook hook, SaveListener saveListener) {
    this.saveListener = saveListener;
    this.unguarded = adapter;
    this.adapter = new WriteGuard(adapter, writes);
    this.clock = clock;
    this.hook = hook;
  }

  public StorageAdapter adapter() {
    return unguarded;
  }

  /** The adapter with every write sharing the lock {@link #snapshot} takes exclusively: for other stores on the same adapter. */
  public StorageAdapter guardedAdapter() {
    return adapter;
  }

  /** This storage's id, read from {@code ["storage-adapter-id"]} or created and stored there on first use. */
  public StorageId id() {
    idLock.lock();
    try {
      if (storageId == null) {
        Optional<Bytes> stored = adapter.load(STORAGE_ID_KEY);
        if (stored.isPresent() && stored.get().size() > 0) {
          storageId = StorageId.of(new String(stored.get().toByteArray(), StandardCharsets.UTF_8));
        } else {
          StorageId fresh = StorageId.random();
          adapter.save(STORAGE_ID_KEY, Bytes.wrap(fresh.value().getBytes(StandardCharsets.UTF_8)));
          storageId = fresh;
        }
      }
      return storageId;
    } finally {
      idLock.unlock();
    }
  }

  /** Loads a document from its chunks, or empty if storage holds none. */
  public Optional<Document> loadDoc(DocumentId id) {
    DocState st = state(id);
    st.lock.lock();
    try {
      List<Chunk> snapshots = new ArrayList<>();
      List<Chunk> incrementals = new ArrayList<>();
      chunksOf(id, snapshots, incrementals);
      if (snapshots.isEmpty() && incrementals.isEmpty()) {
        return Optional.empty();
      }
      List<Chunk> all = new ArrayList<>();
      for (Chunk c : snapshots) {
        open(id, c, all);
      }
      for (Chunk c : incrementals) {
        open(id, c, all);
      }
      Document doc = Document.create(ActorId.random(), clock);
      ByteArrayOutputStream concat = new ByteArrayOutputStream();
      for (Chunk c : all) {
        concat.writeBytes(c.data().toByteArray());
      }
      String problem = null;
      try {
        if (doc.loadIncremental(concat.toByteArray()).truncated()) {
          // a torn chunk inside the concatenation can declare a length past its end and so look
          // like a torn tail, hiding every chunk after it: only a chunk-by-chunk load tells
          problem = "a chunk is torn";
        }
      } catch (LoamException whole) {
        problem = whole.getMessage();
      }
      if (problem != null) {
        log.warn("document {}: its chunks do not load together ({}); loading them one by one", id, problem);
        doc = Document.create(ActorId.random(), clock);
        for (Chunk c : all) {
          try {
            doc.loadIncremental(c.data().toByteArray());
          } catch (LoamException one) {
            log.warn("document {}: skipping unreadable chunk {}: {}", id, c.key(), one.getMessage());
          }
        }
      }
      List<ChunkInfo> infos = new ArrayList<>();
      for (Chunk c : snapshots) {
        infos.add(new ChunkInfo(c.key(), ChunkType.SNAPSHOT, c.data().size()));
      }
      for (Chunk c : incrementals) {
        infos.add(new ChunkInfo(c.key(), ChunkType.INCREMENTAL, c.data().size()));
      }
      st.chunks = infos;
      st.lastSaved = doc.heads();
      log.debug("document {}: loaded {} snapshot(s) and {} incremental(s)", id, snapshots.size(), incrementals.size());
      return Optional.of(doc);
    } finally {
      st.lock.unlock();
    }
  }

  /**
   * Stores what {@code doc} has that storage lacks; does nothing if its heads are those last
   * saved or loaded. When this returns, every change in {@code doc}'s heads is durable. As
   * {@link #prepareSave} then {@link PendingSave#write}, with no other save of the document between.
   */
  public void saveDoc(DocumentId id, Document doc) {
    DocState st = state(id);
    st.lock.lock();
    try {
      prepareSave(id, doc).ifPresent(PendingSave::write);
    } finally {
      st.lock.unlock();
    }
  }

  /**
   * The first, in-memory half of a save: encodes what {@code doc} has that storage lacks (a
   * snapshot or an incremental chunk, by the compaction rule) without touching the adapter or the
   * document hook, or empty if {@code doc}'s heads are those last saved or loaded. The caller must
   * keep {@code doc} unchanged during this call only; the bytes are then its own, and
   * {@link PendingSave#write} stores them without the document. Lets a caller hold a document's
   * lock while encoding and release it before the hook and the I/O.
   */
  public Optional<PendingSave> prepareSave(DocumentId id, Document doc) {
    DocState st = state(id);
    st.lock.lock();
    try {
      Heads heads = doc.heads();
      Heads base = st.lastSaved;
      if (base != null && base.equals(heads)) {
        return Optional.empty();
      }
      if (base == null || base.isEmpty() || shouldCompact(st.chunks)) {
        return Optional.of(new PendingSave(id, st, base, heads, ChunkType.SNAPSHOT, doc.save()));
      }
      return Optional.of(new PendingSave(id, st, base, heads, ChunkType.INCREMENTAL, doc.saveSince(base)));
    } finally {
      st.lock.unlock();
    }
  }

  /**
   * A save encoded by {@link #prepareSave} and not yet written. Writing it is the I/O half: after
   * {@link #write} returns, every change in {@link #heads()} is durable; if it throws, the
   * bookkeeping is as it was and the next save writes the same changes again. Used by one thread;
   * saves of one document must be prepared and written one at a time.
   */
  public final class PendingSave {
    private final DocumentId id;
    private final DocState st;
    private final @Nullable Heads base;
    private final Heads heads;
    private final ChunkType type;
    private final byte[] plain;

    private PendingSave(DocumentId id, DocState st, @Nullable Heads base, Heads heads, ChunkType type, byte[] plain) {
      this.id = id;
      this.st = st;
      this.base = base;
      this.heads = heads;
      this.type = type;
      this.plain = plain;
    }

    /** The heads that are durable once {@link #write} returns. */
    public Heads heads() {
      return heads;
    }

    /**
     * Passes the chunk through the document hook's {@code toStorage}, writes it (a snapshot first,
     * then removes the chunks it replaces) through the write lock {@link #snapshot} waits on, and
     * records the heads as saved. Blocks on the hook and the storage adapter. A hook that throws
     * fails the write as a storage failure would.
     *
     * @throws IllegalStateException if another save of the document was written since this one was prepared
     */
    public void write() {
      st.lock.lock();
      try {
        if (!java.util.Objects.equals(st.lastSaved, base)) {
          throw new IllegalStateException("document " + id + " was saved since this save was prepared");
        }
        switch (type) {
          case SNAPSHOT -> writeSnapshot(id, heads, plain, st);
          case INCREMENTAL -> writeIncremental(id, heads, plain, st);
        }
      } finally {
        st.lock.unlock();
      }
      try {
        saveListener.saved(id, heads);
      } catch (RuntimeException e) {
        log.warn("document {}: the save listener failed", id, e);
      }
    }
  }

  /**
   * The chunks of {@code id} that another process wrote since this subsystem last loaded, saved
   * or {@linkplain NewChunks#absorbed absorbed} them (one read of the document's chunks), as the
   * document hook reads them. Blocks on the adapter. Empty chunks list when there is nothing new.
   */
  public NewChunks readNew(DocumentId id) {
    DocState st = state(id);
    st.lock.lock();
    try {
      List<Chunk> snapshots = new ArrayList<>();
      List<Chunk> incrementals = new ArrayList<>();
      chunksOf(id, snapshots, incrementals);
      java.util.Set<StorageKey> known = new java.util.HashSet<>();
      for (ChunkInfo c : st.chunks) {
        known.add(c.key());
      }
      List<ChunkInfo> infos = new ArrayList<>();
      List<Chunk> opened = new ArrayList<>();
      for (List<Chunk> group : List.of(snapshots, incrementals)) {
        for (Chunk c : group) {
          if (!known.contains(c.key())) {
            infos.add(new ChunkInfo(c.key(), group == snapshots ? ChunkType.SNAPSHOT : ChunkType.INCREMENTAL, c.data().size()));
            open(id, c, opened);
          }
        }
      }
      return new NewChunks(id, st, infos, opened);
    } finally {
      st.lock.unlock();
    }
  }

  /**
   * Chunks another process stored, read by {@link #readNew} and not yet part of the document.
   * The caller applies {@link #chunks()} to its document, then calls {@link #absorbed}: only then
   * are they counted among the chunks a compaction of this subsystem folds in and removes (a
   * compaction must remove only what its snapshot holds). Used by one thread.
   */
  public final class NewChunks {
    private final DocumentId id;
    private final DocState st;
    private final List<ChunkInfo> infos;
    private final List<Chunk> chunks;

    private NewChunks(DocumentId id, DocState st, List<ChunkInfo> infos, List<Chunk> chunks) {
      this.id = id;
      this.st = st;
      this.infos = infos;
      this.chunks = List.copyOf(chunks);
    }

    /** The new chunks' bytes as the document hook returned them, snapshots first; apply each with {@code loadIncremental}. */
    public List<Chunk> chunks() {
      return chunks;
    }

    /**
     * Applies every new chunk to {@code doc} (skipping, with a warning, one that does not load),
     * then {@linkplain #absorbed records} those applied. The caller holds {@code doc} unchanged by
     * others meanwhile. Returns whether {@code doc}'s heads changed.
     */
    public boolean applyTo(Document doc) {
      Heads before = doc.heads();
      List<Chunk> applied = new ArrayList<>();
      for (Chunk c : chunks) {
        try {
          doc.loadIncremental(c.data().toByteArray());
          applied.add(c);
        } catch (LoamException e) {
          log.warn("document {}: skipping unreadable chunk {}: {}", id, c.key(), e.getMessage());
        }
      }
      Heads after = doc.heads();
      absorbed(applied, before, after);
      return !after.equals(before);
    }

    /**
     * Records that the document now holds every change of {@code applied} (some of
     * {@link #chunks()}). {@code before} and {@code after} are its heads before and after applying
     * them: when storage held everything the document had before, it holds everything it has
     * after, and no save is needed.
     */
    public void absorbed(List<Chunk> applied, Heads before, Heads after) {
      java.util.Set<StorageKey> keys = new java.util.HashSet<>();
      applied.forEach(c -> keys.add(c.key()));
      st.lock.lock();
      try {
        for (ChunkInfo c : infos) {
          if (keys.contains(c.key()) && st.chunks.stream().noneMatch(k -> k.key().equals(c.key()))) {
            st.chunks.add(c);
          }
        }
        if (before.equals(st.lastSaved) && keys.size() == infos.size()) {
          st.lastSaved = after;
        }
        log.debug("document {}: absorbed {} chunk(s) stored by another process", id, keys.size());
      } finally {
        st.lock.unlock();
      }
    }
  }

  /** Forgets document {@code id} if, as far as this knows, storage holds none of its chunks and nobody works on it now. */
  public void forget(DocumentId id) {
    docs.computeIfPresent(id, (k, st) -> !st.lock.isLocked() && st.chunks.isEmpty() && st.lastSaved == null ? null : st);
  }

  /** Removes a document's chunks and sync states. */
  public void removeDoc(DocumentId id) {
    DocState st = state(id);
    st.lock.lock();
    try {
      StorageKey doc = StorageKey.of(id.toString());
      adapter.removeRange(doc.append(SNAPSHOT));
      adapter.removeRange(doc.append(INCREMENTAL));
      adapter.removeRange(doc.append(SYNC_STATE));
      st.chunks = new ArrayList<>();
      st.lastSaved = null;
    } finally {
      st.lock.unlock();
    }
  }

  /** The sync state last saved for {@code peer}'s storage, or empty (also when it does not decode). */
  public Optional<SyncState> loadSyncState(DocumentId id, StorageId peer) {
    Optional<Bytes> bytes = adapter.load(syncStateKey(id, peer));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SyncState.decode(bytes.get().toByteArray()));
    } catch (LoamException e) {
      log.warn("document {}: ignoring undecodable sync state for storage {}: {}", id, peer, e.getMessage());
      return Optional.empty();
    }
  }

  public void saveSyncState(DocumentId id, StorageId peer, SyncState state) {
    adapter.save(syncStateKey(id, peer), Bytes.wrap(state.encode()));
  }

  /** Generic key/value storage for plug-ins, under {@code [namespace, key]}. */
  public Optional<Bytes> load(String namespace, String key) {
    return adapter.load(StorageKey.of(namespace, key));
  }

  public void save(String namespace, String key, Bytes data) {
    adapter.save(StorageKey.of(namespace, key), data);
  }

  public void remove(String namespace, String key) {
    adapter.remove(StorageKey.of(namespace, key));
  }

  /**
   * Every chunk in storage as it is at one instant: every write of this subsystem to the adapter
   * waits while the chunks are read. Each write is one adapter call that leaves storage loadable
   * (a compaction stores its snapshot before it removes what that replaces, and loading tolerates
   * the overlap), so the chunks read form a loadable storage.
   */
  public List<Chunk> snapshot() {
    writes.writeLock().lock();
    try {
      return unguarded.loadRange(StorageKey.EMPTY);
    } finally {
      writes.writeLock().unlock();
    }
  }

  /** The snapshot key's last component for {@code heads}: sha256 hex of the concatenated hex heads. */
  public static String headsHash(Heads heads) {
    StringBuilder sb = new StringBuilder();
    for (ChangeHash h : heads) {
      sb.append(h.hex());
    }
    return sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The incremental key's last component for {@code bytes}. */
  public static String keyHash(byte[] bytes) {
    return sha256Hex(bytes);
  }

  /** Adds {@code stored} as the hook reads it back to {@code out}, or skips it if the hook rejects it. */
  private void open(DocumentId id, Chunk stored, List<Chunk> out) {
    try {
      out.add(new Chunk(stored.key(), hook.fromStorage(id, stored.data())));
    } catch (LoamException e) {
      log.warn("document {}: skipping chunk {} that the document hook rejects: {}", id, stored.key(), e.getMessage());
    }
  }

  /** The bytes to store for the encoded chunk {@code plain}: as the document hook transforms it. */
  private byte[] sealed(DocumentId id, byte[] plain) {
    return hook.toStorage(id, Bytes.wrap(plain)).toByteArray();
  }

  /**
   * Stores the snapshot, then removes the chunks it replaces, all in one transaction where the
   * adapter writes {@linkplain StorageAdapter#atomically atomically} (SQLite: one commit, not one
   * per removed chunk); elsewhere the snapshot is durable before the first removal. A chunk that
   * cannot be removed is kept and removed at the next compaction (the snapshot holds everything
   * it did). If the transaction fails, nothing of it remains and the chunks stay as they were.
   */
  private void writeSnapshot(DocumentId id, Heads heads, byte[] plain, DocState st) {
    byte[] bytes = sealed(id, plain);
    StorageKey key = StorageKey.of(id.toString(), SNAPSHOT, headsHash(heads));
    List<ChunkInfo> kept = new ArrayList<>();
    adapter.atomically(a -> {
      a.save(key, Bytes.wrap(bytes)); // first: if this throws, nothing was removed
      kept.add(new ChunkInfo(key, ChunkType.SNAPSHOT, bytes.length));
      for (ChunkInfo old : st.chunks) {
        if (old.key().equals(key)) {
          continue;
        }
        try {
          a.remove(old.key());
        } catch (LoamException e) {
          // The snapshot already holds everything: the old chunk is redundant, not needed.
          log.warn("document {}: could not remove replaced chunk {}; will retry at the next compaction", id, old.key(), e);
          kept.add(old);
        }
      }
    });
    st.chunks = kept;
    st.lastSaved = heads;
    log.debug("document {}: compacted into {} ({} bytes)", id, key, bytes.length);
  }

  private void writeIncremental(DocumentId id, Heads heads, byte[] plain, DocState st) {
    if (plain.length == 0) {
      st.lastSaved = heads;
      return;
    }
    byte[] bytes = sealed(id, plain);
    StorageKey key = StorageKey.of(id.toString(), INCREMENTAL, keyHash(bytes));
    adapter.save(key, Bytes.wrap(bytes));
    st.chunks.add(new ChunkInfo(key, ChunkType.INCREMENTAL, bytes.length));
    st.lastSaved = heads;
  }

  private static boolean shouldCompact(List<ChunkInfo> chunks) {
    long snapshots = 0;
    long incrementals = 0;
    for (ChunkInfo c : chunks) {
      if (c.type() == ChunkType.SNAPSHOT) {
        snapshots += c.size();
      } else {
        incrementals += c.size();
      }
    }
    return incrementals >= Math.max(snapshots, SMALL_SNAPSHOT);
  }

  /**
   * Reads every chunk of {@code id} in one adapter call (one consistent read where the adapter is
   * a database: a compaction by another process between two reads could otherwise hide both the
   * snapshot it wrote and the chunks it removed), split by type, each in key order.
   */
  private void chunksOf(DocumentId id, List<Chunk> snapshots, List<Chunk> incrementals) {
    for (Chunk c : adapter.loadRange(StorageKey.of(id.toString()))) {
      if (c.key().size() == 3) { // as chunkTypeFromKey: [docId, type, hash]
        switch (c.key().get(1)) {
          case SNAPSHOT -> snapshots.add(c);
          case INCREMENTAL -> incrementals.add(c);
          default -> { } // sync states
        }
      }
    }
    Comparator<Chunk> byHash = Comparator.comparing(c -> c.key().get(2));
    snapshots.sort(byHash);
    incrementals.sort(byHash);
  }

  private DocState state(DocumentId id) {
    return docs.computeIfAbsent(id, k -> new DocState());
  }

  private static StorageKey syncStateKey(DocumentId id, StorageId peer) {
    return StorageKey.of(id.toString(), SYNC_STATE, peer.value());
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
