package dev.loam.backup;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.LoadResult;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a chain (a full archive, then its incrementals) into the state it restores to, running
 * every check of {@link Backup#verify}: each archive's own checks ({@link ArchiveReader}), the
 * links between archives, and for each entry that the document loads (plain: Automerge, with no
 * missing dependency; secure: every item verified and admitted) and has the manifest's heads.
 * Holds every document in memory. Not thread-safe; one per run.
 */
final class ChainReader {
  /** One document of the chain's state. */
  sealed interface State {
    /** Its heads as the manifest lists them. */
    List<Bytes> heads();

    /**
     * A plain document as the chain holds it: its entries' data, oldest first (a FULL entry's
     * save, then the INCREMENTAL entries' changes), checked to load to {@code heads}. Kept as
     * bytes, not as a loaded document, so that a chain of any number of documents is checked in
     * memory proportional to its size.
     */
    record Plain(List<Bytes> chunks, List<Bytes> heads) implements State {
      /** The document loaded from its chunks. */
      Document load() {
        Document doc = Document.create(ActorId.random());
        for (Bytes c : chunks) {
          doc.loadIncremental(c.toByteArray());
        }
        return doc;
      }

      /** Its heads as Automerge heads. */
      Heads automergeHeads() {
        List<ChangeHash> hashes = new ArrayList<>(heads.size());
        heads.forEach(h -> hashes.add(ChangeHash.of(h.toByteArray())));
        return Heads.of(hashes);
      }
    }

    /** A secure document's items in order, and their encodings for membership tests. */
    record Secure(List<Bytes> items, Set<Bytes> set, List<Bytes> heads) implements State {}
  }

  /**
   * What reading a chain found.
   *
   * @param archives every archive's own reading, in chain order
   * @param faults every fault, of the files and of the chain
   * @param state the final state by document (meaningful only without faults)
   * @param last the last archive's manifest, if it was read
   */
  record Outcome(List<ArchiveReader.Result> archives, List<Fault> faults, SortedMap<DocumentId, State> state,
                 Optional<Manifest> last) {
    /** Throws the typed exception for the first kind of fault found: version, then passphrase, then any. */
    void throwIfFaulty() {
      for (ArchiveReader.Result r : archives) {
        if (r.has(Fault.Check.FORMAT_VERSION)) {
          r.throwIfFaulty();
        }
      }
      for (ArchiveReader.Result r : archives) {
        if (r.has(Fault.Check.PASSPHRASE)) {
          r.throwIfFaulty();
        }
      }
      if (!faults.isEmpty()) {
        throw new BackupCorruptException(faults);
      }
    }
  }

  /** Loads plain documents, one thread per core (daemon threads, shared by every reading). */
  private static final ExecutorService POOL = Executors.newFixedThreadPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()), Thread.ofPlatform().daemon().name("loam-backup-verify-", 0).factory());

  private final List<Fault> faults = new ArrayList<>();
  private final SortedMap<DocumentId, State> state = new TreeMap<>();
  private final Optional<Instant> asOf;
  private final Progress progress;
  /** False to read manifests only: plain documents' states then hold no chunks. */
  private final boolean documents;
  private boolean secureSeen;

  private ChainReader(Optional<Instant> asOf, Progress progress, boolean documents) {
    this.asOf = asOf;
    this.progress = progress;
    this.documents = documents;
  }

  /**
   * The chain an incremental backup is created after, read as far as creating one needs: every
   * archive's framing, file checksum (which covers every byte, entries included), format version
   * and manifest checksum, and the links between archives and their manifests' entries (parent
   * ids, UNCHANGED and REMOVED against the chain before them), but no document loaded: plain
   * documents' states hold their manifest heads and no chunks. A chain holding a secure document
   * is read in full, since an incremental of it needs the items it already holds.
   */
  static Outcome readParent(List<Path> chain, Optional<Passphrase> passphrase, Progress progress) {
    ChainReader manifests = new ChainReader(Optional.empty(), progress, false);
    Outcome o = manifests.run(chain, passphrase);
    return manifests.secureSeen ? read(chain, passphrase, Optional.empty(), progress) : o;
  }

  /**
   * Reads and checks {@code chain}. With {@code asOf}, removals recorded by archives created after
   * it are not applied (the document still existed then); the documents themselves are cut by
   * {@link AsOf} afterwards.
   */
  static Outcome read(List<Path> chain, Optional<Passphrase> passphrase, Optional<Instant> asOf, Progress progress) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a chain holds at least one archive (a full backup)");
    }
    return new ChainReader(asOf, progress, true).run(chain, passphrase);
  }

  private Outcome run(List<Path> chain, Optional<Passphrase> passphrase) {
    ChainReader c = this;
    List<ArchiveReader.Result> results = new ArrayList<>();
    Optional<Manifest> previous = Optional.empty();
    boolean linked = true;
    for (int i = 0; i < chain.size(); i++) {
      progress.update(Progress.Phase.READ, i, chain.size());
      ArchiveReader.Result r = ArchiveReader.read(chain.get(i), passphrase, documents);
      results.add(r);
      c.faults.addAll(r.faults());
      if (r.manifest().isEmpty()) {
        linked = false;
        previous = Optional.empty();
        continue;
      }
      Manifest m = r.manifest().get();
      if (i == 0 && m.parentId().isPresent()) {
        c.fault(r.file(), Optional.empty(), Fault.Check.PARENT_CHAIN, "the first archive is an incremental (parent "
            + m.parentId().get() + "): give its chain from the full backup on");
        linked = false;
      } else if (i > 0 && previous.isPresent() && !m.parentId().equals(Optional.of(previous.get().backupId()))) {
        c.fault(r.file(), Optional.empty(), Fault.Check.PARENT_CHAIN, "its parent is " + m.parentId().map(Object::toString)
            .orElse("none (a full backup)") + ", the archive before it is " + previous.get().backupId());
        linked = false;
      }
      if (linked) {
        c.apply(r, m);
      }
      previous = Optional.of(m);
    }
    progress.update(Progress.Phase.READ, chain.size(), chain.size());
    Optional<Manifest> last = results.get(results.size() - 1).manifest();
    return new Outcome(results, List.copyOf(c.faults), c.state, last);
  }

  /** Applies one linked archive's entries to the state, checking each. */
  private void apply(ArchiveReader.Result r, Manifest m) {
    Set<DocumentId> listed = new HashSet<>();
    boolean full = m.parentId().isEmpty();
    boolean removalsApply = asOf.isEmpty() || !m.created().isAfter(asOf.get());
    // each plain document's entry loads on its own (against the chain before this archive) on
    // the pool; the results are applied below in manifest order, as one thread would
    Map<DocumentId, Future<Loaded>> loads = new HashMap<>();
    if (documents) {
      for (ArchiveEntry e : m.entries()) {
        ArchiveReader.Entry data = r.entries().get(e.document());
        if (!e.secure() && data != null && (e.kind() == ArchiveEntry.Kind.FULL || e.kind() == ArchiveEntry.Kind.INCREMENTAL)
            && !loads.containsKey(e.document())) {
          Optional<State> before = Optional.ofNullable(state.get(e.document()));
          loads.put(e.document(), POOL.submit(() -> loadPlain(r.file(), e, data.data(), before)));
        }
      }
    }
    int done = 0;
    for (ArchiveEntry e : m.entries()) {
      progress.update(Progress.Phase.CHECK, done++, m.entries().size());
      if (!listed.add(e.document())) {
        continue; // a duplicate, reported by the archive's reader
      }
      Optional<State> before = Optional.ofNullable(state.get(e.document()));
      if (full && e.kind() != ArchiveEntry.Kind.FULL) {
        fault(r.file(), e, Fault.Check.PARENT_CHAIN, "a full backup holds only FULL entries, not " + e.kind());
        continue;
      }
      if (before.isPresent() && before.get() instanceof State.Secure != e.secure() && e.kind() != ArchiveEntry.Kind.FULL) {
        fault(r.file(), e, Fault.Check.PARENT_CHAIN, "the parent chain holds it as a " + (e.secure() ? "plain" : "secure") + " document");
        continue;
      }
      switch (e.kind()) {
        case FULL, INCREMENTAL -> {
          if (!documents) {
            secureSeen |= e.secure();
            if (e.kind() == ArchiveEntry.Kind.INCREMENTAL && before.isEmpty()) {
              fault(r.file(), e, Fault.Check.PARENT_CHAIN, "INCREMENTAL, but the parent chain does not hold it");
            } else {
              state.put(e.document(), e.secure() ? new State.Secure(List.of(), Set.of(), e.heads())
                  : new State.Plain(List.of(), e.heads()));
            }
            continue;
          }
          Optional<ArchiveReader.Entry> data = Optional.ofNullable(r.entries().get(e.document()));
          if (data.isPresent() && e.secure()) { // else a fault is reported already
            loadSecure(r.file(), e, data.get().data().toByteArray(), before);
          } else if (data.isPresent()) {
            Loaded l = await(loads.get(e.document()));
            faults.addAll(l.faults());
            switch (l) {
              case Loaded.Put put -> state.put(e.document(), put.state());
              case Loaded.Remove remove -> state.remove(e.document());
              case Loaded.Keep keep -> { }
            }
          }
        }
        case UNCHANGED -> {
          if (before.isEmpty()) {
            fault(r.file(), e, Fault.Check.PARENT_CHAIN, "UNCHANGED, but the parent chain does not hold it");
          } else if (!before.get().heads().equals(e.heads())) {
            fault(r.file(), e, Fault.Check.HEADS, "UNCHANGED with heads " + e.headsHex() + ", the parent chain has "
                + hex(before.get().heads()));
          }
        }
        case REMOVED -> {
          if (before.isEmpty()) {
            fault(r.file(), e, Fault.Check.PARENT_CHAIN, "REMOVED, but the parent chain does not hold it");
          } else if (removalsApply) {
            state.remove(e.document());
          }
        }
      }
    }
    if (!full) {
      for (DocumentId d : state.keySet()) {
        if (!listed.contains(d)) {
          faults.add(new Fault(r.file(), Optional.of(d), Fault.Check.MISSING_ENTRY,
              "the parent chain holds the document and this incremental does not list it"));
        }
      }
    }
    progress.update(Progress.Phase.CHECK, m.entries().size(), m.entries().size());
  }

  /** What loading one plain entry found: its faults, and what becomes of the document's state. */
  private sealed interface Loaded {
    List<Fault> faults();

    /** The entry loaded (its heads may still differ from the manifest's: a fault says so). */
    record Put(List<Fault> faults, State.Plain state) implements Loaded {}

    /** The entry does not load: the document leaves the state. */
    record Remove(List<Fault> faults) implements Loaded {}

    /** The entry cannot apply (an incremental of nothing): the state is left as it was. */
    record Keep(List<Fault> faults) implements Loaded {}
  }

  /** Loads a plain entry on top of {@code before}; touches no field, so that entries load in parallel. */
  private static Loaded loadPlain(Path file, ArchiveEntry e, Bytes bytes, Optional<State> before) {
    byte[] data = bytes.toByteArray();
    Document doc;
    List<Bytes> chunks = new ArrayList<>();
    try {
      if (e.kind() == ArchiveEntry.Kind.FULL) {
        doc = Document.create(ActorId.random());
      } else if (before.isPresent() && before.get() instanceof State.Plain p) {
        doc = p.load();
        chunks.addAll(p.chunks());
      } else {
        return new Loaded.Keep(List.of(new Fault(file, Optional.of(e.document()), Fault.Check.PARENT_CHAIN,
            "INCREMENTAL, but the parent chain does not hold it")));
      }
      LoadResult lr = doc.loadIncremental(data);
      List<ChangeHash> missing = doc.missingDeps(Heads.EMPTY);
      if (lr.truncated() || !missing.isEmpty()) {
        return new Loaded.Remove(List.of(new Fault(file, Optional.of(e.document()), Fault.Check.DOCUMENT_LOADS,
            lr.truncated() ? "its data ends inside a chunk"
            : "its changes depend on " + missing.size() + " change(s) the chain lacks, such as " + missing.get(0).hex())));
      }
    } catch (LoamException ex) {
      return new Loaded.Remove(List.of(new Fault(file, Optional.of(e.document()), Fault.Check.DOCUMENT_LOADS,
          "does not load as Automerge: " + ex.getMessage())));
    }
    List<Fault> found = new ArrayList<>();
    List<Bytes> heads = headsOf(doc.heads());
    if (!heads.equals(e.heads())) {
      found.add(new Fault(file, Optional.of(e.document()), Fault.Check.HEADS,
          "the loaded document's heads are " + hex(heads) + ", the manifest says " + e.headsHex()));
    }
    chunks.add(bytes);
    return new Loaded.Put(found, new State.Plain(List.copyOf(chunks), e.heads()));
  }

  /** The task's result; its failure rethrown as it was thrown. */
  static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading backed-up documents", ex);
    } catch (ExecutionException ex) {
      if (ex.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (ex.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(ex.getCause());
    }
  }

  private void loadSecure(Path file, ArchiveEntry e, byte[] data, Optional<State> before) {
    List<Bytes> items = new ArrayList<>();
    Set<Bytes> set = new HashSet<>();
    if (e.kind() == ArchiveEntry.Kind.INCREMENTAL) {
      if (before.isEmpty() || !(before.get() instanceof State.Secure s)) {
        fault(file, e, Fault.Check.PARENT_CHAIN, "INCREMENTAL, but the parent chain does not hold it");
        return;
      }
      items.addAll(s.items());
      set.addAll(s.set());
    }
    try {
      for (Bytes item : SecureEntries.decode(data)) {
        if (set.add(item)) {
          items.add(item);
        }
      }
      List<Bytes> heads = SecureEntries.verify(e.document(), items);
      if (!heads.equals(e.heads())) {
        fault(file, e, Fault.Check.HEADS, "the items' heads are " + hex(heads) + ", the manifest says " + e.headsHex());
      }
      state.put(e.document(), new State.Secure(List.copyOf(items), set, e.heads()));
    } catch (SecureEntries.Bad bad) {
      fault(file, e, Fault.Check.SECURE_ITEMS, bad.getMessage());
      state.remove(e.document());
    }
  }

  static List<Bytes> headsOf(Heads heads) {
    List<Bytes> out = new ArrayList<>(heads.size());
    for (ChangeHash h : heads) {
      out.add(Bytes.wrap(h.toByteArray()));
    }
    return out;
  }

  private static String hex(List<Bytes> heads) {
    return ArchiveEntry.hex(heads);
  }

  private void fault(Path file, ArchiveEntry e, Fault.Check check, String detail) {
    fault(file, Optional.of(e.document()), check, detail);
  }

  private void fault(Path file, Optional<DocumentId> document, Fault.Check check, String detail) {
    faults.add(new Fault(file, document, check, detail));
  }
}
