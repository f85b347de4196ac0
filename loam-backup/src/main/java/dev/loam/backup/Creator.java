package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates one archive from a source: reads the source's storage at one instant, then writes each
 * document's entry (full, or what it gained since the parent chain) and the manifest. Not
 * thread-safe; one per run.
 */
final class Creator {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Threads loading documents: one per core. */
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** Documents loaded ahead of the writer at most, which bounds the memory they hold. */
  private static final int WINDOW = 4 * THREADS;

  private final CreateOptions options;
  private final List<String> warnings = new ArrayList<>();
  private int full;
  private int incremental;
  private int unchanged;
  private int removed;
  private int secure;

  private Creator(CreateOptions options) {
    this.options = options;
  }

  static BackupSummary create(BackupSource source, Path out, CreateOptions options, ArchiveWriter.ChannelOpener opener) {
    return new Creator(options).run(source, out, opener);
  }

  private BackupSummary run(BackupSource source, Path out, ArchiveWriter.ChannelOpener opener) {
    Optional<UUID> parentId = Optional.empty();
    SortedMap<DocumentId, ChainReader.State> parent = new TreeMap<>();
    if (!options.since().isEmpty()) {
      ChainReader.Outcome chain = ChainReader.readParent(options.since(), options.sincePassphrase(), options.progress());
      chain.throwIfFaulty();
      parentId = Optional.of(chain.last().orElseThrow().backupId());
      parent = chain.state();
    }
    Instant created = options.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    options.progress().update(Progress.Phase.READ, 0, 1);
    StoredDocuments stored = new StoredDocuments(chunks(source));
    warnings.addAll(stored.warnings());
    options.progress().update(Progress.Phase.READ, 1, 1);

    byte[] header;
    FrameCipher cipher;
    if (options.passphrase().isPresent()) {
      Bytes salt = FrameCipher.newSalt(RANDOM);
      FrameCipher.Keys keys = FrameCipher.derive(options.passphrase().get(), salt, options.kdfIterations());
      header = new ArchiveFormat.Header(ArchiveFormat.VERSION, true, options.kdfIterations(), salt, keys.check()).encode();
      cipher = FrameCipher.encrypted(keys, header);
    } else {
      header = ArchiveFormat.Header.plain().encode();
      cipher = FrameCipher.plain(header);
    }
    TreeSet<DocumentId> ids = new TreeSet<>(stored.plain().keySet());
    ids.addAll(stored.secure().keySet());
    ids.addAll(parent.keySet());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("loam-backup-", 0).factory());
    try (ArchiveWriter w = ArchiveWriter.open(out, header, cipher, opener)) {
      // plain documents load and encode on the pool, a bounded window ahead of the writer, which
      // takes them in document order: the archive is the same as one thread writes
      ArrayDeque<Map.Entry<DocumentId, Optional<Future<Prepared>>>> window = new ArrayDeque<>();
      Iterator<DocumentId> next = ids.iterator();
      int done = 0;
      while (next.hasNext() || !window.isEmpty()) {
        while (next.hasNext() && window.size() < WINDOW) {
          DocumentId id = next.next();
          StoredDocuments.Plain chunks = stored.plain().get(id);
          Optional<ChainReader.State> before = Optional.ofNullable(parent.get(id));
          window.add(Map.entry(id, chunks == null || stored.secure().containsKey(id) ? Optional.empty()
              : Optional.of(pool.submit(() -> prepare(chunks, before)))));
        }
        Map.Entry<DocumentId, Optional<Future<Prepared>>> head = window.poll();
        DocumentId id = head.getKey();
        options.progress().update(Progress.Phase.WRITE, done++, ids.size());
        Optional<ChainReader.State> before = Optional.ofNullable(parent.get(id));
        if (head.getValue().isPresent()) {
          write(w, id, ChainReader.await(head.getValue().get()));
        } else if (stored.secure().containsKey(id)) {
          if (stored.plain().containsKey(id)) {
            warnings.add("document " + id + " is stored both as a plain and as a secure document; backed up as secure");
          }
          secureEntry(w, stored.secure().get(id), before);
        } else {
          w.listOnly(id, before.orElseThrow() instanceof ChainReader.State.Secure, ArchiveEntry.Kind.REMOVED, List.of());
          removed++;
        }
      }
      options.progress().update(Progress.Phase.WRITE, ids.size(), ids.size());
      Manifest manifest = new Manifest(ArchiveFormat.VERSION, UUID.randomUUID(), parentId, created, w.entries());
      long bytes = w.commit(manifest);
      return new BackupSummary(out, manifest.backupId(), parentId, created, ids.size() - removed, full, incremental,
          unchanged, removed, secure, w.dataBytes(), bytes, warnings);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A plain document's entry, computed off the writer's thread. */
  private record Prepared(ArchiveEntry.Kind kind, List<Bytes> heads, Optional<byte[]> data, List<String> warnings) {}

  private static Prepared prepare(StoredDocuments.Plain chunks, Optional<ChainReader.State> before) {
    List<String> warned = new ArrayList<>();
    Document doc = StoredDocuments.load(chunks, warned);
    // a document stored as one snapshot that loads cleanly is already its compacted save
    Optional<byte[]> save = chunks.incrementals().isEmpty() && chunks.snapshots().size() == 1 && warned.isEmpty()
        && doc.missingDeps(Heads.EMPTY).isEmpty() ? Optional.of(chunks.snapshots().get(0).data().toByteArray()) : Optional.empty();
    Heads heads = doc.heads();
    List<Bytes> headList = ChainReader.headsOf(heads);
    if (before.isPresent() && before.get() instanceof ChainReader.State.Plain p) {
      if (p.heads().equals(headList)) {
        return new Prepared(ArchiveEntry.Kind.UNCHANGED, headList, Optional.empty(), warned);
      }
      Heads base = p.automergeHeads();
      if (containsAll(doc, base)) {
        return new Prepared(ArchiveEntry.Kind.INCREMENTAL, headList, Optional.of(doc.saveSince(base)), warned);
      }
      // the source lost changes the parent chain holds (re-created, or replaced by a restore):
      // store it whole, so that the chain restores the source's state
    }
    return new Prepared(ArchiveEntry.Kind.FULL, headList, Optional.of(save.orElseGet(doc::save)), warned);
  }

  private void write(ArchiveWriter w, DocumentId id, Prepared p) {
    warnings.addAll(p.warnings());
    switch (p.kind()) {
      case UNCHANGED -> {
        w.listOnly(id, false, ArchiveEntry.Kind.UNCHANGED, p.heads());
        unchanged++;
      }
      case INCREMENTAL -> {
        w.entry(id, false, ArchiveEntry.Kind.INCREMENTAL, p.heads(), p.data().orElseThrow());
        incremental++;
      }
      case FULL -> {
        w.entry(id, false, ArchiveEntry.Kind.FULL, p.heads(), p.data().orElseThrow());
        full++;
      }
      case REMOVED -> throw new IllegalStateException("a present document is never prepared as removed");
    }
  }

  private static List<Chunk> chunks(BackupSource source) {
    return switch (source) {
      case BackupSource.OfRepo r -> {
        List<Chunk> all = new ArrayList<>();
        r.repo().backup(all::add);
        yield all;
      }
      case BackupSource.OfStorage s -> s.storage().loadRange(StorageKey.EMPTY);
    };
  }

  private void secureEntry(ArchiveWriter w, StoredDocuments.Secure s, Optional<ChainReader.State> before) {
    secure++;
    SecureEntries.Admitted a = SecureEntries.admitted(s.id(), s.items(), warnings);
    if (before.isPresent() && before.get() instanceof ChainReader.State.Secure p
        && new HashSet<>(a.items()).containsAll(p.set())) {
      if (p.heads().equals(a.heads()) && a.items().size() == p.items().size()) {
        w.listOnly(s.id(), true, ArchiveEntry.Kind.UNCHANGED, a.heads());
        unchanged++;
        return;
      }
      List<Bytes> added = new ArrayList<>();
      Set<Bytes> had = new HashSet<>(p.set());
      for (Bytes item : a.items()) {
        if (!had.contains(item)) {
          added.add(item);
        }
      }
      w.entry(s.id(), true, ArchiveEntry.Kind.INCREMENTAL, a.heads(), SecureEntries.encode(added));
      incremental++;
      return;
    }
    w.entry(s.id(), true, ArchiveEntry.Kind.FULL, a.heads(), SecureEntries.encode(a.items()));
    full++;
  }

  private static boolean containsAll(Document doc, Heads heads) {
    for (ChangeHash h : heads) {
      if (doc.change(h).isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
