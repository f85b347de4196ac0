package dev.loam.search;

import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ReadDoc;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local full-text index of a {@link Repo}'s documents, kept current by the repo's events.
 * Open one with {@link #open}, bring it up to date with the documents in storage with {@link
 * #catchUp}, then {@link #search} (the current text) and {@link #searchHistory} (every version).
 *
 * <p>What is indexed: every text object and string scalar of every document, with its JSON
 * pointer and key name (the map key holding it, or the nearest one above a list: {@code /tags/0}
 * has key {@code tags}), tokenized as runs of letters and digits, case- and accent-folded, without
 * stemming or stop words (Chinese, Japanese and Korean text as pairs of characters, so {@code 東京}
 * finds {@code 東京都}; a word longer than 128 characters as pieces of 128; a string under a
 * JSON pointer longer than 8,000 characters is left out). Staying current: the index listens to the repo
 * ({@link Repo#addListener}); each change, local or from a peer, marks its document, and one
 * indexing thread re-reads the marked documents and replaces them in the index, coalescing bursts.
 * A search first waits for the changes heard before it to be indexed, so it sees them (usually
 * within milliseconds: near-real-time reopening, no disk sync; another thread commits
 * every ten seconds when anything was indexed, and close commits). The index records the heads it
 * indexed per document: {@link #catchUp} re-indexes only documents whose heads differ and drops
 * documents that are gone, so an index that was closed while its documents changed (another
 * process, a crash, a restored backup) needs no full rebuild. An index that cannot be read is
 * rebuilt: {@link #open} starts an empty one and {@link #catchUp} fills it, reporting progress.
 * The folder is derived data: deleting it loses nothing. An index of many documents also holds
 * each two of their most common words that stand next to each other as one term ({@link
 * CommonWords}, chosen from the documents), so that phrases of common words stay fast; a catch-up
 * that finds the index grown far past the documents they were chosen from chooses them again and
 * fills the index afresh (so at 5,000 documents, 40,000, 320,000 …).
 *
 * <p>Thread-safe. {@link #search} and {@link #catchUp} block (see each); the listener never
 * blocks the repo's threads.
 */
public final class SearchIndex implements AutoCloseable {
  private final Repo repo;
  private final IndexStore store;
  private final Map<DocumentId, Heads> indexed = new ConcurrentHashMap<>();
  private final Listener listener = new Listener();
  private final ReentrantLock lock = new ReentrantLock();
  /**
   * Locks by document (a stripe of them): one is held while a document is read and written to the
   * index, so an older reading never overwrites a newer one; all are held to empty the index.
   */
  private final ReentrantLock[] writing = new ReentrantLock[64];
  private final Condition changed = lock.newCondition();
  /** Documents marked since the worker last took them: the handle, or empty for one deleted. Guarded by {@link #lock}. */
  private final LinkedHashMap<DocumentId, Optional<DocHandle>> pending = new LinkedHashMap<>();
  private long requested; // guarded by lock: events heard
  /** How many catch-ups are running. */
  private final AtomicInteger catchUps = new AtomicInteger();
  /** Whether the indexing thread wrote what no refresh has made visible yet (it leaves that to searches while a catch-up runs). */
  private final AtomicBoolean unrefreshed = new AtomicBoolean();
  private long done; // guarded by lock: events indexed
  private boolean closed; // guarded by lock
  private Optional<RuntimeException> failure = Optional.empty(); // guarded by lock
  private final Thread worker;
  /** How often what was indexed is made durable (a Lucene commit, with fsync), when anything was. */
  private static final long COMMIT_EVERY_SECONDS = 10;
  /**
   * Commits off the indexing thread: a commit's disk syncs take tens of milliseconds on a large
   * index, and an edit must not wait behind them to become searchable (Lucene's writer takes
   * documents and reopens readers while it commits).
   */
  private final ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("loam-search-committer").factory());
  /** Whether the indexing thread wrote anything since the last periodic commit. */
  private final AtomicBoolean uncommitted = new AtomicBoolean();

  /** The fewest documents for which a catch-up or a reindex chooses common words ({@link CommonWords#MIN_DOCUMENTS}; tests lower it). */
  private final int minCommonDocuments;
  /** What is indexed of a document: {@link DocText#of}, or a failing stand-in in tests. */
  private final Function<ReadDoc, List<DocText.Entry>> strings;
  /** The documents the index could not take at their last attempt, with the reason. */
  private final Map<DocumentId, String> unindexable = new ConcurrentHashMap<>();

  private SearchIndex(Repo repo, IndexStore store, int minCommonDocuments, Function<ReadDoc, List<DocText.Entry>> strings) {
    this.repo = repo;
    this.store = store;
    this.minCommonDocuments = minCommonDocuments;
    this.strings = strings;
    indexed.putAll(store.openedWith());
    this.worker = Thread.ofPlatform().daemon().name("loam-search-indexer").unstarted(this::work);
    for (int i = 0; i < writing.length; i++) {
      writing[i] = new ReentrantLock();
    }
  }

  private ReentrantLock writing(DocumentId id) {
    return writing[Math.floorMod(id.hashCode(), writing.length)];
  }

  /**
   * Opens (or creates) the index in {@code folder} for {@code repo} and starts following the
   * repo's changes. An index that cannot be read is replaced by an empty one ({@link
   * #rebuiltOnOpen()}); call {@link #catchUp} to fill it, and to index what changed while the
   * index was closed. The folder belongs to the index (an unreadable index's files in it are
   * deleted); keep it beside the repo's storage, never inside what is synced or backed up. Blocks
   * while Lucene opens the folder.
   *
   * @throws SearchIndexException if another open index holds the folder or it cannot be written
   */
  public static SearchIndex open(Path folder, Repo repo) {
    return open(folder, repo, CommonWords.MIN_DOCUMENTS, DocText::of);
  }

  /**
   * {@link #open(Path, Repo)}, choosing common words from {@code minCommonDocuments} documents on
   * and indexing what {@code strings} gives of each document (for tests).
   */
  static SearchIndex open(Path folder, Repo repo, int minCommonDocuments, Function<ReadDoc, List<DocText.Entry>> strings) {
    SearchIndex index = new SearchIndex(Objects.requireNonNull(repo), IndexStore.open(folder), minCommonDocuments, strings);
    index.worker.start();
    index.committer.scheduleWithFixedDelay(index::commitIfWritten, COMMIT_EVERY_SECONDS, COMMIT_EVERY_SECONDS, TimeUnit.SECONDS);
    repo.addListener(index.listener);
    return index;
  }

  /**
   * Whether {@link #open} found an unreadable index (corrupt, torn, of another format) and started
   * an empty one. Does not block.
   */
  public boolean rebuiltOnOpen() {
    return store.rebuilt();
  }

  /**
   * Whether a {@link #catchUp} over {@code documents} documents will fill the index afresh, as a
   * rebuild does: the index has grown far past the documents its common words were chosen from
   * (see the class comment), so a caller shows that catch-up's progress. Does not block.
   */
  public boolean catchUpRefills(int documents) {
    return store.common().due(documents, minCommonDocuments);
  }

  /**
   * The documents the index could not take, each with the reason (e.g. Lucene refusing what it
   * holds): they are left out of the index, which goes on indexing and searching the others, and
   * are tried again when they change or on the next {@link #catchUp}. Empty when all went well.
   * Does not block.
   */
  public Map<DocumentId, String> unindexable() {
    return Map.copyOf(unindexable);
  }

  /** The documents in the index and the heads indexed for each. Does not block. */
  public Map<DocumentId, Heads> indexedHeads() {
    return Map.copyOf(indexed);
  }

  /**
   * Brings the index up to date with {@code documents} (all the repo's documents, e.g. those in
   * its storage): each whose heads differ from the indexed heads is loaded through the repo and
   * re-indexed, each in the index but not in {@code documents} is removed, the rest are left alone.
   * Documents that cannot be loaded (unavailable, deleted) are removed from the index. Blocks
   * while documents load and are indexed (on this thread and, for many documents, on helper
   * threads, one per further core, at most {@value Parallel#MAX_THREADS} in all); {@code progress}
   * hears, on this thread, how many are done, after each document this thread does and at the end.
   *
   * @return how many documents were re-indexed or removed: those whose indexed heads differed
   *     from their heads, or that were not in the index, or that are gone
   */
  public int catchUp(Collection<DocumentId> documents, Progress progress) {
    return catchUp(documents, id -> true, progress);
  }

  /**
   * {@link #catchUp(Collection, Progress)}, leaving alone (without loading them) the documents
   * already in the index for which {@code mayHaveChanged} is false: a caller that can tell
   * cheaply that a document's storage has not changed since the last catch-up (e.g. by its chunk
   * keys) makes a catch-up with nothing to do cost almost nothing. Blocks as that method does.
   *
   * @return how many documents were re-indexed or removed
   */
  public int catchUp(Collection<DocumentId> documents, Predicate<DocumentId> mayHaveChanged, Progress progress) {
    catchUps.incrementAndGet();
    try {
      return catchUpRunning(documents, mayHaveChanged, progress);
    } finally {
      catchUps.decrementAndGet();
    }
  }

  private int catchUpRunning(Collection<DocumentId> documents, Predicate<DocumentId> mayHaveChanged, Progress progress) {
    Set<DocumentId> wanted = new HashSet<>(documents);
    if (catchUpRefills(wanted.size())) { // grown past its common words: filled afresh
      refill(chooseCommonWords(wanted));
    }
    Map<DocumentId, Heads> before = Map.copyOf(indexed); // loading a document also lets the listener index it
    List<DocumentId> gone = new ArrayList<>();
    for (DocumentId id : before.keySet()) {
      if (!wanted.contains(id)) {
        gone.add(id);
      }
    }
    int total = wanted.size() + gone.size();
    int step = 0;
    for (DocumentId id : gone) {
      remove(id);
      progress.update(++step, total);
    }
    AtomicInteger touched = new AtomicInteger(gone.size());
    int removed = step;
    Parallel.forEach(new ArrayList<>(wanted), id -> {
      if (before.containsKey(id) && !mayHaveChanged.test(id)) {
        return;
      }
      Optional<Heads> now = reread(id);
      touched.addAndGet(now.isEmpty() ? (before.containsKey(id) ? 1 : 0) : now.get().equals(before.get(id)) ? 0 : 1);
    }, finished -> progress.update(removed + finished, total), store::flushBuffer);
    store.commit();
    store.refresh();
    progress.update(total, total);
    return touched.get();
  }

  /**
   * Drops everything in the index and indexes {@code documents} afresh, as {@link #catchUp} does
   * from an empty index, with common words chosen anew. Blocks as {@link #catchUp}.
   *
   * @return how many documents are in the index afterwards
   */
  public int reindex(Collection<DocumentId> documents, Progress progress) {
    refill(documents.size() >= minCommonDocuments ? chooseCommonWords(documents) : CommonWords.NONE);
    catchUp(documents, progress);
    return indexed.size();
  }

  /** Empties the index, which then indexes with the pairs of {@code common} words. */
  private void refill(CommonWords common) {
    for (ReentrantLock l : writing) {
      l.lock();
    }
    try {
      store.empty(common);
      indexed.clear();
    } finally {
      for (ReentrantLock l : writing) {
        l.unlock();
      }
    }
  }

  /**
   * The common words of {@code documents} ({@link CommonWords#choose}), from a sample of them
   * spread over the collection. Blocks while the sampled documents load.
   */
  private CommonWords chooseCommonWords(Collection<DocumentId> documents) {
    List<DocumentId> all = new ArrayList<>(documents);
    List<Set<String>> sample = new ArrayList<>();
    int step = Math.max(1, all.size() / CommonWords.SAMPLE);
    for (int i = 0; i < all.size() && sample.size() < CommonWords.SAMPLE; i += step) {
      DocumentId id = all.get(i);
      // read in place (a handle's document is not copied for this), not with the stand-in of tests: sampling must not fail
      (repo.handleInMemory(id).isPresent() ? load(id).map(h -> h.read(SearchIndex::terms)) : stored(id).map(SearchIndex::terms))
          .ifPresent(sample::add);
    }
    return CommonWords.choose(sample, all.size());
  }

  /** The distinct terms of {@code doc}'s strings. */
  private static Set<String> terms(ReadDoc doc) {
    Set<String> terms = new HashSet<>();
    for (DocText.Entry e : DocText.of(doc)) {
      Tokens.of(e.text()).forEach(t -> terms.add(t.term()));
    }
    return terms;
  }

  /**
   * The best {@code limit} documents whose current text matches {@code query}, best first, one
   * hit per document. The language: words, all of which
   * must appear in the document (each in any of its strings); {@code "exact phrases"}, within one
   * string; prefixes {@code collab*} (two letters at least); fuzzy terms {@code kleppman~} (up to
   * two edits; {@code ~1} for one); {@code key:word} for strings held under that key name
   * ({@code title:loam}); {@code path:/tasks} for strings at or under that JSON pointer; {@code
   * OR}, {@code NOT} (or {@code -word}) and brackets. Matching ignores case and accents. Blocks
   * until the changes the index heard before the call are indexed, then on Lucene.
   *
   * @throws InvalidQueryException if the query is malformed or too expensive (a leading wildcard, a
   *     one-letter prefix); the message says what to change
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public List<SearchHit> search(String query, int limit) {
    return search(query, limit, true);
  }

  /**
   * {@link #search}, the hits with no snippet ({@link SearchHit#snippet} empty; best paths and
   * scores as there): for a list that shows none, and to tell what the snippets cost.
   *
   * @throws InvalidQueryException as {@link #search}
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public List<SearchHit> searchWithoutSnippets(String query, int limit) {
    return search(query, limit, false);
  }

  private List<SearchHit> search(String query, int limit, boolean snippets) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, not " + limit);
    }
    SearchQuery q = SearchQuery.parse(query);
    awaitIndexed();
    return Searcher.search(store, q, limit, snippets);
  }

  /**
   * Documents whose text held {@code query} in any version, as {@code git log -S}: for each, every
   * appearance with the change that inserted it and the one that deleted it, if any. The query is
   * a word or a phrase (quotes optional): its tokens, consecutive within one string. Looks at the
   * documents in the index (in the order of their ids) and stops at {@code limit} hits. Blocks
   * while each document is copied (under its handle's memory lock) and its history replayed
   * (without it; each change costs its own ops and the strings it edited, so a long history of
   * keystrokes replays in linear time).
   *
   * @throws InvalidQueryException if the query holds no letters or digits
   */
  public List<HistoryHit> searchHistory(String query, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, not " + limit);
    }
    List<Tokens.Token> terms = HistorySearch.terms(query);
    awaitIndexed();
    List<HistoryHit> hits = new ArrayList<>();
    for (DocumentId id : indexed.keySet().stream().sorted().toList()) {
      Optional<Document> doc = copyOf(id); // a copy, so the replay holds no lock the document's writers wait for
      if (doc.isPresent()) {
        HistorySearch.search(doc.get(), terms, id.toUrl()).ifPresent(hits::add);
        if (hits.size() >= limit) {
          break;
        }
      }
    }
    return hits;
  }

  /**
   * Waits until the changes the index heard before the call are indexed and visible to searches.
   * Blocks on the indexing thread (and, while a catch-up runs, on making its work visible: Lucene
   * writing what it buffered as a segment).
   *
   * @throws SearchIndexException if indexing failed
   */
  public void awaitIndexed() {
    lock.lock();
    try {
      long target = requested;
      while (done < target && failure.isEmpty() && !closed) {
        changed.awaitUninterruptibly();
      }
      if (failure.isPresent()) {
        throw new SearchIndexException("indexing failed: " + failure.get().getMessage(), failure.get());
      }
    } finally {
      lock.unlock();
    }
    if (unrefreshed.getAndSet(false)) { // written while a catch-up runs: made visible now
      store.refresh();
    }
  }

  /**
   * Stops following the repo, indexes what was heard, commits and closes the folder. Idempotent;
   * calls running on other threads must have returned. Blocks on the indexing thread and Lucene.
   */
  @Override
  public void close() {
    repo.removeListener(listener);
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      worker.join();
      committer.shutdown();
      committer.awaitTermination(1, TimeUnit.DAYS); // a commit under way finishes; close commits again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  // ---- indexing ----

  private Optional<DocHandle> load(DocumentId id) {
    try {
      return Optional.of(repo.find(id).whenReady().join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof DocumentUnavailableException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Indexes document {@code id} as a catch-up finds it: from its handle if the repo has one in
   * memory, else as storage holds it, loaded without opening a handle (so that catching up on
   * many documents keeps none of them in memory); removes it if it is gone.
   *
   * @return its heads now, or empty if it is gone
   */
  private Optional<Heads> reread(DocumentId id) {
    ReentrantLock l = writing(id);
    l.lock();
    try {
      // no handle in memory, checked under the lock: one opened after this is indexed after this, by its events
      if (repo.handleInMemory(id).isEmpty()) {
        Optional<Document> stored = stored(id);
        if (stored.isEmpty()) {
          remove(id);
          return Optional.empty();
        }
        write(id, f -> f.apply(stored.get()));
        return Optional.of(stored.get().heads());
      }
    } finally {
      l.unlock();
    }
    Optional<DocHandle> h = load(id);
    h.ifPresentOrElse(this::index, () -> remove(id));
    return h.map(DocHandle::heads);
  }

  /** Document {@code id} as storage holds it, loaded without a handle; empty if storage holds none of it. Blocks on storage. */
  private Optional<Document> stored(DocumentId id) {
    return repo.loadStored(id).filter(d -> !d.heads().isEmpty());
  }

  /**
   * A copy of document {@code id}: its handle's document if the repo has the handle in memory, else
   * loaded from storage without opening a handle; empty if it is gone. Blocks while it loads.
   */
  private Optional<Document> copyOf(DocumentId id) {
    return repo.handleInMemory(id).isPresent() ? load(id).map(DocHandle::doc) : stored(id);
  }

  /** Indexes {@code h}'s document if its heads differ from those indexed ({@link #write}). */
  private void index(DocHandle h) {
    ReentrantLock l = writing(h.documentId());
    l.lock();
    try {
      write(h.documentId(), h::read);
    } finally {
      l.unlock();
    }
  }

  /** What is indexed of a document as of its heads. */
  private record Snapshot(Heads heads, List<DocText.Entry> strings) {}

  /** A way to read a document: {@link DocHandle#read}, or the function applied to one at hand. */
  @FunctionalInterface
  private interface Reader {
    Snapshot read(Function<? super Document, Snapshot> reading);
  }

  /**
   * Under document {@code id}'s writing lock: indexes what {@code reader} reads of it if its heads
   * differ from those indexed. A document the index cannot take (Lucene refuses it, or reading its
   * strings fails) is left out of the index and recorded in {@link #unindexable}, so that one
   * hostile document never stops the indexing of the others nor the searches; a failure of the
   * index itself (its writer closed, a disk error) is thrown.
   */
  private void write(DocumentId id, Reader reader) {
    Heads known = indexed.get(id);
    try {
      Snapshot s = reader.read(doc -> {
        Heads heads = doc.heads();
        return heads.equals(known) ? new Snapshot(heads, List.of()) : new Snapshot(heads, strings.apply(doc));
      });
      if (!s.heads().equals(known)) {
        store.put(id, s.heads(), s.strings(), known == null);
        indexed.put(id, s.heads());
        unindexable.remove(id);
      }
    } catch (RuntimeException e) {
      if (e instanceof SearchIndexException || !store.writable()) {
        throw e;
      }
      store.remove(id); // not its older text either: a search finds what the document holds now, or nothing
      indexed.remove(id);
      unindexable.put(id, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void remove(DocumentId id) {
    ReentrantLock l = writing(id);
    l.lock();
    try {
      store.remove(id);
      indexed.remove(id);
    } finally {
      l.unlock();
    }
  }

  /** Marks document {@code id} for the indexing thread: {@code h} to re-read, or empty if it was deleted. */
  private void mark(DocumentId id, Optional<DocHandle> h) {
    lock.lock();
    try {
      if (!closed) {
        pending.put(id, h);
        requested++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The indexing thread: takes the marked documents, indexes them, makes them visible. */
  private void work() {
    while (true) {
      Map<DocumentId, Optional<DocHandle>> batch;
      long target;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          return;
        }
        batch = new LinkedHashMap<>(pending);
        pending.clear();
        target = requested;
      } finally {
        lock.unlock();
      }
      Optional<RuntimeException> failed = attempt(() -> {
        for (Map.Entry<DocumentId, Optional<DocHandle>> e : batch.entrySet()) {
          e.getValue().ifPresentOrElse(this::index, () -> remove(e.getKey()));
        }
        // while a catch-up runs, every document it loads announces itself, and a refresh per
        // batch would flush the catch-up's buffer as a tiny segment each time (a rebuild from
        // storage spent 60 % of its time flushing and merging those): the catch-up refreshes at
        // its end, and a search in between refreshes first (awaitIndexed)
        if (catchUps.get() == 0) {
          store.refresh();
        } else {
          unrefreshed.set(true);
        }
      });
      uncommitted.set(true);
      settle(target, failed); // searches wait for the refresh, not for the commit's disk sync
    }
  }

  /** The committer's periodic step: bounds what a crash leaves to catch up. */
  private void commitIfWritten() {
    if (uncommitted.getAndSet(false)) {
      attempt(store::commit).ifPresent(e -> settle(0, Optional.of(e)));
    }
  }

  /** Runs {@code step} of the indexing thread, returning how it failed, if it did. */
  private static Optional<RuntimeException> attempt(Runnable step) {
    try {
      step.run();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e);
    } catch (Error e) { // searches waiting for this batch must not wait forever
      return Optional.of(new SearchIndexException("the indexing thread failed: " + e, e));
    }
  }

  /** Records that the events up to {@code target} are indexed (or failed) and wakes the searches waiting for them. */
  private void settle(long target, Optional<RuntimeException> failed) {
    lock.lock();
    try {
      done = Math.max(done, target);
      if (failed.isPresent()) {
        failure = failed;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Hears the repo: a change or a (re)load marks the document, a deletion marks it for removal. */
  private final class Listener implements DocHandle.Listener {
    @Override
    public void changed(DocChange change) {
      mark(change.handle().documentId(), Optional.of(change.handle()));
    }

    @Override
    public void stateChanged(DocHandle handle, DocHandle.State state) {
      switch (state) {
        case READY -> mark(handle.documentId(), Optional.of(handle));
        case DELETED -> mark(handle.documentId(), Optional.empty());
        case LOADING, REQUESTING, UNAVAILABLE -> { }
      }
    }
  }
}
