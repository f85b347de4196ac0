package dev.loam.repo.storage;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.repo.DocumentId;
import dev.loam.repo.StorageId;
import dev.loam.repo.spi.Chunk;
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
 * <p>Saving writes an incremental chunk, or compacts (automerge-repo's rule: when the snapshots
 * total under 1 KiB or the incrementals outweigh them). Compaction writes the new snapshot
 * <em>before</em> removing the chunks it replaces, so a process that dies in between leaves
 * both, and no change is ever lost. A save that throws leaves the bookkeeping as it was: the next
 * save writes the same changes again.
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
  /** Below this many snapshot bytes every save compacts (automerge-repo's constant). */
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

  /** A subsystem over {@code adapter} whose loaded documents take commit times from the system clock. */
  public StorageSubsystem(StorageAdapter adapter) {
    this(adapter, InstantSource.system());
  }

  /** A subsystem over {@code adapter} whose loaded documents take commit times from {@code clock}. */
  public StorageSubsystem(StorageAdapter adapter, InstantSource clock) {
    this.adapter = adapter;
    this.clock = clock;
  }

  public StorageAdapter adapter() {
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
      List<Chunk> snapshots = chunksOf(id, SNAPSHOT);
      List<Chunk> incrementals = chunksOf(id, INCREMENTAL);
      if (snapshots.isEmpty() && incrementals.isEmpty()) {
        return Optional.empty();
      }
      List<Chunk> all = new ArrayList<>(snapshots);
      all.addAll(incrementals);
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
   * snapshot or an incremental chunk, by the compaction rule) without touching the adapter, or
   * empty if {@code doc}'s heads are those last saved or loaded. The caller must keep {@code doc}
   * unchanged during this call only; the bytes are then its own, and {@link PendingSave#write}
   * stores them without the document. Lets a caller hold a document's lock while encoding and
   * release it before the I/O.
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
        byte[] bytes = doc.save();
        return Optional.of(new PendingSave(id, st, base, heads, ChunkType.SNAPSHOT,
            StorageKey.of(id.toString(), SNAPSHOT, headsHash(heads)), bytes));
      }
      byte[] bytes = doc.saveSince(base);
      return Optional.of(new PendingSave(id, st, base, heads, ChunkType.INCREMENTAL,
          StorageKey.of(id.toString(), INCREMENTAL, keyHash(bytes)), bytes));
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
    private final StorageKey key;
    private final byte[] bytes;

    private PendingSave(DocumentId id, DocState st, @Nullable Heads base, Heads heads, ChunkType type,
        StorageKey key, byte[] bytes) {
      this.id = id;
      this.st = st;
      this.base = base;
      this.heads = heads;
      this.type = type;
      this.key = key;
      this.bytes = bytes;
    }

    /** The heads that are durable once {@link #write} returns. */
    public Heads heads() {
      return heads;
    }

    /**
     * Writes the chunk (a snapshot first, then removes the chunks it replaces) and records the
     * heads as saved. Blocks on the storage adapter.
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
          case SNAPSHOT -> writeSnapshot(id, key, bytes, heads, st);
          case INCREMENTAL -> writeIncremental(key, bytes, heads, st);
        }
      } finally {
        st.lock.unlock();
      }
    }
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

  private void writeSnapshot(DocumentId id, StorageKey key, byte[] bytes, Heads heads, DocState st) {
    adapter.save(key, Bytes.wrap(bytes)); // first: if this throws, nothing was removed
    List<ChunkInfo> kept = new ArrayList<>();
    kept.add(new ChunkInfo(key, ChunkType.SNAPSHOT, bytes.length));
    for (ChunkInfo old : st.chunks) {
      if (old.key().equals(key)) {
        continue;
      }
      try {
        adapter.remove(old.key());
      } catch (LoamException e) {
        // The snapshot already holds everything: the old chunk is redundant, not needed.
        log.warn("document {}: could not remove replaced chunk {}; will retry at the next compaction", id, old.key(), e);
        kept.add(old);
      }
    }
    st.chunks = kept;
    st.lastSaved = heads;
    log.debug("document {}: compacted into {} ({} bytes)", id, key, bytes.length);
  }

  private void writeIncremental(StorageKey key, byte[] bytes, Heads heads, DocState st) {
    if (bytes.length == 0) {
      st.lastSaved = heads;
      return;
    }
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
    return snapshots < SMALL_SNAPSHOT || incrementals >= snapshots;
  }

  private List<Chunk> chunksOf(DocumentId id, String type) {
    List<Chunk> out = new ArrayList<>();
    for (Chunk c : adapter.loadRange(StorageKey.of(id.toString(), type))) {
      if (c.key().size() == 3) { // as chunkTypeFromKey: [docId, type, hash]
        out.add(c);
      }
    }
    out.sort(Comparator.comparing(c -> c.key().get(2)));
    return out;
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
