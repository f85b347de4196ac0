package dev.loam.search;

import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;

/**
 * The Lucene side of a {@link SearchIndex}: one folder, its writer and near-real-time searcher,
 * and the layout of what is stored.
 *
 * <p>Layout (format 6). A Loam document is one Lucene <em>block</em>: a child per string, then the
 * parent ({@link Block} builds it).
 * <pre>
 * child            url (keyword), path (doc value), text (stored, not indexed), span (a doc value:
 *                  the string's first and last positions among the parent's words; none when
 *                  the string holds no token)
 * parent (type=doc) url (keyword; and url-value, the same as a doc value), heads (a doc value: the heads indexed,
 *                  comma-separated hex), words (every token of every string, with positions:
 *                  the strings one after the other, {@link Block#GAP} positions apart, each
 *                  preceded by marks of its key and of the pointers it is under and followed by
 *                  an end mark), prefix (the first 2 letters of each term of every string), pairs
 *                  (each two {@link CommonWords} next to each other in a string, at the first
 *                  one's position among the words)
 * </pre>
 * Every query runs on the parents: a word, a phrase, a prefix or a fuzzy term on the words and
 * prefixes (a phrase cannot span two strings: the gap between them is wider than any phrase's
 * steps); one with a key or a path filter as an interval of the words within a string's marks.
 * A block is replaced whole ({@link
 * IndexWriter#updateDocuments}), so a reader never sees half a document. Every commit carries
 * {@link #FORMAT} in its user data; an index without it or with another is rebuilt (format 1 had
 * no words, prefixes nor doc values; format 2 no positions on the words; format 3 offsets in the
 * strings' text, which Lucene cannot mix with text without; format 4 the url and heads as stored
 * fields, which opening read for every document; format 5 the strings' text indexed again on
 * each child, with its key and pointers, for the filters: a third of the indexing time). The common words are in the user data too (an
 * index without them holds no pairs). Thread-safe
 * (Lucene's writer and searcher manager are; the common words change only with the index emptied,
 * under a lock that searches share).
 */
final class IndexStore implements AutoCloseable {
  static final String URL = "url";
  /** The parent's URL again, as a doc value (a field's kind must be the same in every document). */
  static final String URL_VALUE = "url-value";
  static final String TYPE = "type";
  static final String PATH = "path";
  static final String SPAN = "span";
  static final String TEXT = "text";
  static final String HEADS = "heads";
  static final String DOC = "doc";
  static final String WORDS = "words";
  static final String PREFIX = "prefix";
  static final String PAIRS = "pairs";
  private static final String FORMAT_KEY = "loam.search.format";
  static final String FORMAT = "6";
  /** How much the writer buffers before it writes a segment: larger segments, fewer merges while rebuilding. */
  private static final double RAM_BUFFER_MB = 64;
  /** The largest segment a refresh may keep in memory rather than write ({@link NRTCachingDirectory}). */
  private static final double NRT_SEGMENT_MB = 8;
  /** How much such segments may take in all. */
  private static final double NRT_CACHE_MB = 64;

  private final Directory dir;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Analyzer analyzer;
  private final boolean rebuilt;
  /** Held by a search while it reads the common words and the index; by {@link #empty} to change them. */
  private final ReentrantReadWriteLock wordsLock = new ReentrantReadWriteLock();
  private Map<DocumentId, Heads> openedWith = Map.of();
  /** The pairs every document in the index holds (written with the index's changes only while it is empty). */
  private volatile CommonWords common;

  private IndexStore(Directory dir, IndexWriter writer, SearcherManager searchers, Analyzer analyzer, boolean rebuilt,
      CommonWords common) {
    this.dir = dir;
    this.writer = writer;
    this.searchers = searchers;
    this.analyzer = analyzer;
    this.rebuilt = rebuilt;
    this.common = common;
  }

  /**
   * Opens the index in {@code folder}, creating it if missing; an index that cannot be read (a
   * torn or corrupt file, another format) is deleted and created empty ({@link #rebuilt()}).
   *
   * @throws SearchIndexException if another open index holds the folder, or the folder cannot be
   *     created or written
   */
  static IndexStore open(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new SearchIndexException("cannot create the index folder " + folder + ": " + e.getMessage(), e);
    }
    try {
      return tryOpen(folder, false);
    } catch (LockObtainFailedException e) {
      throw new SearchIndexException("the index folder " + folder + " is in use by another open index", e);
    } catch (IOException | RuntimeException e) {
      wipe(folder);
      try {
        return tryOpen(folder, true);
      } catch (IOException again) {
        throw new SearchIndexException("cannot create an index in " + folder + ": " + again.getMessage(), again);
      }
    }
  }

  private static IndexStore tryOpen(Path folder, boolean rebuilt) throws IOException {
    // the small segments each near-real-time refresh writes stay in memory until a commit or merge takes them to disk
    Directory dir = new NRTCachingDirectory(FSDirectory.open(folder), NRT_SEGMENT_MB, NRT_CACHE_MB);
    IndexWriter writer = null;
    try {
      boolean stale = false;
      CommonWords common = CommonWords.NONE;
      if (DirectoryReader.indexExists(dir)) {
        Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
        stale = !FORMAT.equals(data.get(FORMAT_KEY));
        common = CommonWords.of(data);
      }
      if (stale) {
        throw new IOException("the index has another format");
      }
      Analyzer analyzer = Tokens.analyzer();
      writer = new IndexWriter(dir, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setRAMBufferSizeMB(RAM_BUFFER_MB)
          // a refresh must not wait for merges of the small segments it makes: an edit is searchable after its own flush
          .setMaxFullFlushMergeWaitMillis(0));
      SearcherManager searchers = new SearcherManager(writer, null);
      IndexStore store = new IndexStore(dir, writer, searchers, analyzer, rebuilt, common);
      store.openedWith = store.indexedHeads(); // reads every parent: fails here rather than later on a corrupt file
      return store;
    } catch (IOException | RuntimeException e) {
      if (writer != null) {
        writer.rollback();
      }
      dir.close();
      throw e;
    }
  }

  /** Deletes Lucene's files from {@code folder} (the index is derived data). */
  private static void wipe(Path folder) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && (name.startsWith("_") || name.startsWith("segments") || name.startsWith("pending_segments")
            || name.equals("write.lock"))) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new SearchIndexException("cannot clear the unreadable index in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Whether opening found an unreadable index and started an empty one instead. */
  boolean rebuilt() {
    return rebuilt;
  }

  Analyzer analyzer() {
    return analyzer;
  }

  /** The heads indexed for each document when the index was opened ({@link #indexedHeads}, read once). */
  Map<DocumentId, Heads> openedWith() {
    return openedWith;
  }

  /** The heads indexed for each document in the index (as of the last refresh). */
  Map<DocumentId, Heads> indexedHeads() {
    Map<DocumentId, Heads> out = new HashMap<>();
    withSearcher(s -> {
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        PostingsEnum docs = leaf.reader().postings(new Term(TYPE, DOC));
        if (docs == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        BinaryDocValues urls = DocValues.getBinary(leaf.reader(), URL_VALUE);
        BinaryDocValues heads = DocValues.getBinary(leaf.reader(), HEADS);
        for (int d = docs.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.nextDoc()) {
          if ((live == null || live.get(d)) && urls.advanceExact(d) && heads.advanceExact(d)) {
            Heads h = Heads.parse(heads.binaryValue().utf8ToString());
            DocumentId.tryParse(urls.binaryValue().utf8ToString()).ifPresent(id -> out.put(id, h));
          }
        }
      }
      return null;
    });
    return out;
  }

  /**
   * Replaces document {@code id}'s block with its {@code strings} as of {@code heads}; {@code fresh}
   * when the index holds no block of {@code id} (nothing to delete first).
   */
  void put(DocumentId id, Heads heads, List<DocText.Entry> strings, boolean fresh) {
    String url = id.toString();
    List<Document> block = Block.of(url, heads.toString(), strings, common);
    io(() -> {
      if (fresh) {
        writer.addDocuments(block);
      } else {
        writer.updateDocuments(new Term(URL, url), block);
      }
    });
  }

  /** Removes document {@code id}. */
  void remove(DocumentId id) {
    io(() -> writer.deleteDocuments(new Term(URL, id.toString())));
  }

  /** Whether the writer still takes documents (a tragic failure, e.g. a disk error while flushing, closes it). */
  boolean writable() {
    return writer.isOpen() && writer.getTragicException() == null;
  }

  /** The common words the documents in the index are indexed with. */
  CommonWords common() {
    return common;
  }

  /**
   * Removes every document and makes the empty index visible, then indexes documents with the
   * pairs of {@code next} words from then on (a search sees either the documents before or the
   * empty index with the new words, never the one with the other's words).
   */
  void empty(CommonWords next) {
    wordsLock.writeLock().lock();
    try {
      io(writer::deleteAll);
      refresh();
      common = next;
    } finally {
      wordsLock.writeLock().unlock();
    }
  }

  /** Writes the largest buffer of documents indexed but not yet written (on the calling thread), if any. */
  void flushBuffer() {
    io(writer::flushNextBuffer);
  }

  /** Makes what was written visible to searches (near-real-time, no fsync). */
  void refresh() {
    io(searchers::maybeRefreshBlocking);
  }

  /** Makes what was written durable. */
  void commit() {
    io(() -> {
      Map<String, String> data = new HashMap<>(common.userData());
      data.put(FORMAT_KEY, FORMAT);
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    });
  }

  /** Something done with a searcher. */
  @FunctionalInterface
  interface SearcherWork<T> {
    T run(IndexSearcher searcher) throws IOException;
  }

  /** Something done with a searcher and the common words of the documents it sees. */
  @FunctionalInterface
  interface PairedWork<T> {
    T run(IndexSearcher searcher, CommonWords common) throws IOException;
  }

  /** Runs {@code work} on the current searcher. */
  <T> T withSearcher(SearcherWork<T> work) {
    return withSearcherAndWords((s, common) -> work.run(s));
  }

  /** Runs {@code work} on the current searcher and the common words its documents are indexed with. */
  <T> T withSearcherAndWords(PairedWork<T> work) {
    wordsLock.readLock().lock();
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return work.run(s, common);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new SearchIndexException("cannot read the index: " + e.getMessage(), e);
    } finally {
      wordsLock.readLock().unlock();
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static void io(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new SearchIndexException("cannot write the index: " + e.getMessage(), e);
    }
  }

  /** Commits and closes. */
  @Override
  public void close() {
    try {
      try {
        commit();
      } finally {
        IOUtils.close(searchers, writer, dir); // each is closed even if another fails
      }
    } catch (IOException e) {
      throw new SearchIndexException("cannot close the index: " + e.getMessage(), e);
    }
  }
}
