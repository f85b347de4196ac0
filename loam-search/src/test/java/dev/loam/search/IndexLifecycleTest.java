package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index across restarts: a repo on SQLite changed while the index was closed, an index whose
 * files were damaged or removed, a folder already in use.
 */
class IndexLifecycleTest {
  @TempDir Path dir;

  /** The documents in a repo's storage, as a CLI finds them. */
  private static Set<DocumentId> stored(SqliteStorageAdapter storage) {
    Set<DocumentId> ids = new TreeSet<>();
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      if (c.key().size() >= 2 && (c.key().get(1).equals("snapshot") || c.key().get(1).equals("incremental"))) {
        DocumentId.tryParse(c.key().get(0)).ifPresent(ids::add);
      }
    }
    return ids;
  }

  private static Set<AutomergeUrl> urls(SearchIndex index, String query) {
    return index.search(query, 100).stream().map(SearchHit::url).collect(Collectors.toSet());
  }

  private List<DocumentId> seed(Path db, Path folder, int n) {
    List<DocumentId> ids = new ArrayList<>();
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(db)).build();
        SearchIndex index = SearchIndex.open(folder, repo)) {
      for (int i = 0; i < n; i++) {
        DocHandle h = repo.create();
        int k = i;
        h.change(tx -> tx.putText(ObjId.ROOT, "title", "note " + k + (k % 2 == 0 ? " even" : " odd")));
        ids.add(h.documentId());
      }
      index.awaitIndexed();
    }
    return ids;
  }

  @Test
  void documentsChangedWhileTheIndexWasClosedAreReindexedAloneOnCatchUp() {
    Path db = dir.resolve("repo.db");
    Path folder = dir.resolve("index");
    List<DocumentId> ids = seed(db, folder, 6);
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(db)).build()) { // another process, no index
      repo.find(ids.get(0)).whenReady().join().change(tx -> tx.put(ObjId.ROOT, "extra", "walrus"));
      repo.delete(ids.get(1));
    }
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    try (Repo repo = Repo.builder().storage(storage).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      assertFalse(index.rebuiltOnOpen());
      assertEquals(Set.of(), urls(index, "walrus"), "not caught up yet");
      assertEquals(2, index.catchUp(stored(storage), Progress.NONE));
      assertEquals(Set.of(ids.get(0).toUrl()), urls(index, "walrus"));
      assertEquals(Set.of(ids.get(2).toUrl(), ids.get(4).toUrl(), ids.get(0).toUrl()), urls(index, "even"));
      assertEquals(0, index.catchUp(stored(storage), Progress.NONE), "nothing left to do");
    }
  }

  @Test
  void aCatchUpLeavesAloneWithoutLoadingThemTheDocumentsItIsToldHaveNotChanged() {
    Path db = dir.resolve("repo.db");
    Path folder = dir.resolve("index");
    List<DocumentId> ids = seed(db, folder, 4);
    DocumentId fresh;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(db)).build()) { // behind the index's back
      repo.find(ids.get(0)).whenReady().join().change(tx -> tx.put(ObjId.ROOT, "extra", "walrus"));
      repo.find(ids.get(1)).whenReady().join().change(tx -> tx.put(ObjId.ROOT, "extra", "walrus"));
      DocHandle h = repo.create();
      h.change(tx -> tx.putText(ObjId.ROOT, "title", "fresh walrus"));
      fresh = h.documentId();
    }
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    Set<String> read = java.util.concurrent.ConcurrentHashMap.newKeySet(); // the documents whose chunks were read
    dev.loam.repo.spi.StorageAdapter watched = new dev.loam.repo.spi.StorageAdapter() {
      @Override
      public java.util.Optional<dev.loam.Bytes> load(StorageKey key) {
        return storage.load(key);
      }

      @Override
      public void save(StorageKey key, dev.loam.Bytes data) {
        storage.save(key, data);
      }

      @Override
      public void remove(StorageKey key) {
        storage.remove(key);
      }

      @Override
      public List<Chunk> loadRange(StorageKey prefix) {
        if (prefix.size() > 0) {
          read.add(prefix.get(0));
        }
        return storage.loadRange(prefix);
      }

      @Override
      public void removeRange(StorageKey prefix) {
        storage.removeRange(prefix);
      }
    };
    try (Repo repo = Repo.builder().storage(watched).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      // the caller says only document 1 may have changed: document 0 keeps its indexed version
      // and is not even loaded; a document not in the index yet is indexed whatever the caller says
      assertEquals(2, index.catchUp(stored(storage), id -> id.equals(ids.get(1)), Progress.NONE));
      assertEquals(Set.of(ids.get(1).toUrl(), fresh.toUrl()), urls(index, "walrus"));
      assertEquals(Set.of(ids.get(1).toString(), fresh.toString()), read, "documents read from storage");
      assertEquals(Set.of(), repo.documentIds(), "a catch-up keeps no document in memory");
      assertEquals(1, index.catchUp(stored(storage), id -> true, Progress.NONE), "then told, document 0 is caught up");
      assertEquals(Set.of(ids.get(0).toUrl(), ids.get(1).toUrl(), fresh.toUrl()), urls(index, "walrus"));
    }
  }

  @Test
  void aCorruptIndexIsRebuiltFromTheDocumentsWithProgress() throws IOException {
    Path db = dir.resolve("repo.db");
    Path folder = dir.resolve("index");
    List<DocumentId> ids = seed(db, folder, 5);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("write.lock")) {
          byte[] junk = new byte[(int) Math.max(16, Files.size(f))];
          java.util.Arrays.fill(junk, (byte) 0x5a);
          Files.write(f, junk);
        }
      }
    }
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    try (Repo repo = Repo.builder().storage(storage).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      assertTrue(index.rebuiltOnOpen());
      assertEquals(Set.of(), urls(index, "note"));
      List<Integer> seen = new ArrayList<>();
      assertEquals(5, index.catchUp(stored(storage), (done, total) -> {
        assertEquals(5, total);
        seen.add(done);
      }));
      assertEquals(5, seen.getLast());
      assertEquals(ids.stream().map(DocumentId::toUrl).collect(Collectors.toSet()), urls(index, "note"));
    }
  }

  @Test
  void anIndexOfTheFirstLayoutIsRebuiltWithProgressRatherThanSearchedWrongly() throws IOException {
    anIndexOfAnOlderLayoutIsRebuilt("1");
  }

  @Test
  void anIndexOfTheSecondLayoutWithoutPositionsOnTheWordsIsRebuiltSoPhrasesRunOnTheWords() throws IOException {
    anIndexOfAnOlderLayoutIsRebuilt("2");
  }

  /**
   * An index written in format {@code format} (1: no words on the parent; 2: words without
   * positions, on which a phrase query fails) is rebuilt on open, with progress.
   */
  private void anIndexOfAnOlderLayoutIsRebuilt(String format) throws IOException {
    Path db = dir.resolve("repo.db");
    Path folder = dir.resolve("index");
    List<DocumentId> ids = seed(db, folder, 4);
    java.util.Map<DocumentId, dev.loam.Heads> heads;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(db)).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      heads = index.indexedHeads();
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    // format 1: a child per string and a parent with the heads indexed, no words on the parent;
    // its heads are the documents' current ones, so only the format tells that it must be rebuilt
    try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(folder);
        org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d,
            new org.apache.lucene.index.IndexWriterConfig(Tokens.analyzer()))) {
      for (DocumentId id : ids) {
        org.apache.lucene.document.Document child = new org.apache.lucene.document.Document();
        child.add(new org.apache.lucene.document.StringField("type", "string", org.apache.lucene.document.Field.Store.NO));
        child.add(new org.apache.lucene.document.StringField("url", id.toString(), org.apache.lucene.document.Field.Store.NO));
        child.add(new org.apache.lucene.document.StoredField("path", "/title"));
        child.add(new org.apache.lucene.document.TextField("text", "stale words", org.apache.lucene.document.Field.Store.YES));
        org.apache.lucene.document.Document parent = new org.apache.lucene.document.Document();
        parent.add(new org.apache.lucene.document.StringField("type", "doc", org.apache.lucene.document.Field.Store.NO));
        parent.add(new org.apache.lucene.document.StringField("url", id.toString(), org.apache.lucene.document.Field.Store.YES));
        parent.add(new org.apache.lucene.document.StoredField("heads", heads.get(id).toString()));
        if (format.equals("2")) {
          org.apache.lucene.document.FieldType words = new org.apache.lucene.document.FieldType();
          words.setTokenized(true);
          words.setOmitNorms(true);
          words.setIndexOptions(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS);
          parent.add(new org.apache.lucene.document.Field("words", "stale words", words));
        }
        w.addDocuments(List.of(child, parent));
      }
      w.setLiveCommitData(java.util.Map.of("loam.search.format", format).entrySet());
      w.commit();
    }
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    try (Repo repo = Repo.builder().storage(storage).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      assertTrue(index.rebuiltOnOpen());
      assertEquals(java.util.Map.of(), index.indexedHeads());
      List<Integer> seen = new ArrayList<>();
      assertEquals(4, index.catchUp(stored(storage), (done, total) -> {
        assertEquals(4, total);
        seen.add(done);
      }));
      assertEquals(4, seen.getLast());
      assertEquals(ids.stream().map(DocumentId::toUrl).collect(Collectors.toSet()), urls(index, "note"));
      assertEquals(Set.of(), urls(index, "stale"));
      assertEquals(Set.of(), urls(index, "\"stale words\""));
      assertEquals(Set.of(ids.get(1).toUrl()), urls(index, "\"1 odd\""));
      assertEquals(heads, index.indexedHeads());
    }
  }

  @Test
  void aMissingIndexStartsEmptyAndCatchesUpWithEveryDocument() throws IOException {
    Path db = dir.resolve("repo.db");
    Path folder = dir.resolve("index");
    List<DocumentId> ids = seed(db, folder, 3);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(folder);
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    try (Repo repo = Repo.builder().storage(storage).build(); SearchIndex index = SearchIndex.open(folder, repo)) {
      assertFalse(index.rebuiltOnOpen());
      assertEquals(3, index.catchUp(stored(storage), Progress.NONE));
      assertEquals(ids.stream().map(DocumentId::toUrl).collect(Collectors.toSet()), urls(index, "note"));
      assertEquals(3, index.reindex(stored(storage), Progress.NONE));
      assertEquals(ids.stream().map(DocumentId::toUrl).collect(Collectors.toSet()), urls(index, "note"));
    }
  }

  @Test
  void aSecondIndexOnTheSameFolderIsRefusedAndTheFirstKeepsWorking() {
    try (Repo repo = Repo.builder().build(); SearchIndex index = SearchIndex.open(dir.resolve("index"), repo)) {
      DocHandle h = repo.create();
      h.change(tx -> tx.putText(ObjId.ROOT, "title", "still here"));
      SearchIndexException e = assertThrows(SearchIndexException.class, () -> SearchIndex.open(dir.resolve("index"), repo));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      assertEquals(Set.of(h.url()), urls(index, "still"));
    }
  }

  @Test
  void aChangeFromAnotherThreadIsSearchableAsSoonAsItIsMade() throws Exception {
    try (Repo repo = Repo.builder().build(); SearchIndex index = SearchIndex.open(dir.resolve("index"), repo)) {
      DocHandle h = repo.create();
      h.change(tx -> tx.putText(ObjId.ROOT, "title", "v0"));
      for (int i = 1; i <= 50; i++) {
        int k = i;
        Thread writer = Thread.ofPlatform().start(() -> h.change(tx -> {
          ObjId t = ((Value.Obj) tx.get(ObjId.ROOT, "title").orElseThrow()).id();
          tx.spliceText(t, 0, tx.length(t), "v" + k);
        }));
        writer.join();
        assertEquals(Set.of(h.url()), urls(index, "v" + k), "version " + k);
        assertEquals(Set.of(), urls(index, "v" + (k - 1)), "version " + (k - 1));
      }
    }
  }

  /** What the index takes of a document, refusing (as Lucene refuses a document) any that holds "poison". */
  private static List<DocText.Entry> refusingPoison(dev.loam.ReadDoc doc) {
    List<DocText.Entry> strings = DocText.of(doc);
    if (strings.stream().anyMatch(e -> e.text().contains("poison"))) {
      throw new IllegalArgumentException("refused: the document holds poison");
    }
    return strings;
  }

  private static void retitle(DocHandle h, String title) {
    h.change(tx -> {
      ObjId t = ((Value.Obj) tx.get(ObjId.ROOT, "title").orElseThrow()).id();
      tx.spliceText(t, 0, tx.length(t), title);
    });
  }

  @Test
  void aDocumentTheIndexCannotTakeIsLeftOutAndTheOthersStaySearchable() {
    Path folder = dir.resolve("index");
    try (Repo repo = Repo.builder().build()) {
      DocHandle good = repo.create();
      DocHandle bad = repo.create();
      SearchIndex index = SearchIndex.open(folder, repo, CommonWords.MIN_DOCUMENTS, IndexLifecycleTest::refusingPoison);
      try {
        good.change(tx -> tx.putText(ObjId.ROOT, "title", "apple one"));
        bad.change(tx -> tx.putText(ObjId.ROOT, "title", "poison apple"));
        assertEquals(Set.of(good.url()), urls(index, "apple"), "the searches go on without the refused document");
        assertEquals(Set.of(bad.documentId()), index.unindexable().keySet());
        assertTrue(index.unindexable().get(bad.documentId()).contains("refused"), index.unindexable().toString());

        retitle(bad, "cured apple");
        assertEquals(Set.of(good.url(), bad.url()), urls(index, "apple"), "indexed once it can be");
        assertEquals(Set.of(), index.unindexable().keySet());

        retitle(good, "poison one");
        assertEquals(Set.of(), urls(index, "one"), "its older text is not searchable either");
        assertEquals(Set.of(bad.url()), urls(index, "apple"));
        assertEquals(Set.of(good.documentId()), index.unindexable().keySet());
        index.close();

        index = SearchIndex.open(folder, repo, CommonWords.MIN_DOCUMENTS, IndexLifecycleTest::refusingPoison);
        index.reindex(List.of(good.documentId(), bad.documentId()), Progress.NONE);
        assertEquals(Set.of(bad.url()), urls(index, "apple"), "a rebuild goes on past it too");
        assertEquals(Set.of(good.documentId()), index.unindexable().keySet());
        assertEquals(Set.of(bad.documentId()), index.indexedHeads().keySet());
      } finally {
        index.close();
      }
    }
  }

  /**
   * Waits (while the catch-up stays paused) until the index has heard {@code h}'s last change: a
   * listener hears a change when the document's events are dispatched, which another thread
   * dispatching them may do just after {@code change} returned, and a search waits only for what
   * the index heard (see SearchModelTest).
   */
  private static void heard(SearchIndex index, DocHandle h) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!h.heads().equals(index.indexedHeads().get(h.documentId()))) {
      assertTrue(System.nanoTime() < deadline, "the index heard the edit within 10 s");
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      index.awaitIndexed();
    }
  }

  @Test
  void anEditDuringACatchUpIsFoundByTheNextSearch() throws Exception {
    Path db = dir.resolve("repo.db");
    List<DocumentId> ids = seed(db, dir.resolve("first-index"), 40);
    SqliteStorageAdapter storage = SqliteStorageAdapter.open(db);
    try (Repo repo = Repo.builder().storage(storage).build(); SearchIndex index = SearchIndex.open(dir.resolve("index"), repo)) {
      java.util.concurrent.CountDownLatch midway = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CompletableFuture<Integer> catchUp = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> index.catchUp(stored(storage), (done, total) -> {
            if (done == 1) { // the catch-up's first document is in; it waits here until the edit was searched
              midway.countDown();
              try {
                assertTrue(resume.await(30, java.util.concurrent.TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }));
      assertTrue(midway.await(30, java.util.concurrent.TimeUnit.SECONDS));
      try {
        DocHandle edited = repo.find(ids.get(7)).whenReady().join();
        edited.change(tx -> tx.put(ObjId.ROOT, "extra", "walrus"));
        heard(index, edited);
        assertEquals(Set.of(ids.get(7).toUrl()), urls(index, "walrus"), "an edit made while the catch-up runs");
      } finally {
        resume.countDown();
      }
      assertEquals(40, catchUp.get(30, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(40, urls(index, "note").size());
    }
  }
}
