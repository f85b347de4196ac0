package dev.loam.repo.internal;

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
 * <p>Saving writes an incremental chunk, or compacts (automerge-repo's rule: when the snapshots
 * total under 1 KiB or the incrementals outweigh them). Compaction writes the new snapshot
 * <em>before</em> removing the chunks it replaces, so a process that dies in between leaves
 * both, and no change is ever lost. A save that throws leaves the bookkeeping as it was: the next
 * save writes the same changes again.
 *
 * <p>Thread-safe. Calls about one document are serialised by a per-document lock; calls about
 * different documents run in parallel. The {@link Document} given to {@link #saveDoc} must not be
 * changed by another thread during the call (a {@code DocHandle} guarantees this).
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
  private final ConcurrentHashMap<DocumentId, DocState> docs = new ConcurrentHashMap<>();
  private final ReentrantLock idLock = new ReentrantLock();
  private @Nullable StorageId storageId;

  private final DocumentHook hook;
  /** Shared by every write call to the adapter, exclusive for {@link #snapshot}. */
  private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();
  private final StorageAdapter unguarded;

  public StorageSubsystem(StorageAdapter adapter) {
    this(adapter, DocumentHook.NONE);
  }

  /** Keeps documents in {@code adapter}, each chunk passed through {@code hook} on its way in and out. */
  public StorageSubsystem(StorageAdapter adapter, DocumentHook hook) {
    this.unguarded = adapter;
    this.adapter = new WriteGuard(adapter, writes);
    this.hook = hook;
  }

  public StorageAdapter adapter() {
    return unguarded;
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
      List<Chunk> all = new ArrayList<>();
      for (Chunk c : snapshots) {
        open(id, c, all);
      }
      for (Chunk c : incrementals) {
        open(id, c, all);
      }
      Document doc = Document.create();
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
        doc = Document.create();
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
   * saved or loaded. When this returns, every change in {@code doc}'s heads is durable.
   */
  public void saveDoc(DocumentId id, Document doc) {
    DocState st = state(id);
    st.lock.lock();
    try {
      Heads heads = doc.heads();
      if (st.lastSaved != null && st.lastSaved.equals(heads)) {
        return;
      }
      if (st.lastSaved == null || st.lastSaved.isEmpty() || shouldCompact(st.chunks)) {
        saveTotal(id, doc, heads, st);
      } else {
        saveIncremental(id, doc, heads, st);
      }
    } finally {
      st.lock.unlock();
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

  private void saveTotal(DocumentId id, Document doc, Heads heads, DocState st) {
    byte[] bytes = hook.toStorage(id, Bytes.wrap(doc.save())).toByteArray();
    StorageKey key = StorageKey.of(id.toString(), SNAPSHOT, headsHash(heads));
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

  private void saveIncremental(DocumentId id, Document doc, Heads heads, DocState st) {
    byte[] plain = doc.saveSince(st.lastSaved);
    if (plain.length == 0) {
      st.lastSaved = heads;
      return;
    }
    byte[] bytes = hook.toStorage(id, Bytes.wrap(plain)).toByteArray();
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

  /** Passes every call to the adapter, holding the shared side of {@code writes} around each write. */
  private record WriteGuard(StorageAdapter inner, ReentrantReadWriteLock writes) implements StorageAdapter {
    @Override
    public Optional<Bytes> load(StorageKey key) {
      return inner.load(key);
    }

    @Override
    public List<Chunk> loadRange(StorageKey prefix) {
      return inner.loadRange(prefix);
    }

    @Override
    public void save(StorageKey key, Bytes data) {
      guarded(() -> inner.save(key, data));
    }

    @Override
    public void remove(StorageKey key) {
      guarded(() -> inner.remove(key));
    }

    @Override
    public void removeRange(StorageKey prefix) {
      guarded(() -> inner.removeRange(prefix));
    }

    @Override
    public void close() {
      inner.close();
    }

    private void guarded(Runnable write) {
      writes.readLock().lock();
      try {
        write.run();
      } finally {
        writes.readLock().unlock();
      }
    }
  }
}
