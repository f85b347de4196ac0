package dev.loam.bench;

import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.search.Progress;
import dev.loam.search.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The search benchmark: the same generated corpus ({@link SearchCorpus}) indexed by loam-search
 * and by SQLite FTS5 (through sqlite-jdbc, {@code unicode61} tokenizer with diacritics removed),
 * then the same queries against both: indexing throughput, query latency (p50/p99) per kind of
 * query, the cost of snippets, the index size on disk and the latency of an edit becoming
 * searchable. Wall-clock figures of one process; run it on a quiet machine. Used by one thread.
 */
final class SearchBench {
  /** The kinds of query measured. */
  enum Kind {
    AND2("two-word AND"),
    PREFIX2("2-letter prefix"),
    PHRASE("phrase"),
    FUZZY("fuzzy term"),
    TITLE("word in the title (title:)");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * Latency percentiles in milliseconds, the mean number of hits returned, the percentiles of the
   * CPU time the querying thread spent (what a busy machine's waits for a core do not inflate) and
   * the collectors' total time during the timed runs (pauses included in the latencies).
   */
  record Latency(double p50, double p99, double meanHits, double cpuP50, double cpuP99, double gcMs) {}

  /**
   * What one engine measured: indexing throughput in the first pass (a fresh JVM: the JIT compiler
   * shares the cores) and, for loam-search, over {@link #WARM_PASSES} more passes of the same
   * rebuild (NaN for FTS5, native code with nothing to warm up); absent figures are NaN (FTS5 has
   * no fuzzy query).
   */
  record EngineResult(String engine, double docsPerSecond, double docsPerCpuSecond, double warmDocsPerSecond,
      double warmDocsPerCpuSecond, long indexBytes, Map<Kind, Latency> queries, Map<Kind, Latency> withoutSnippets, Latency update) {}

  /** How many more times loam-search rebuilds the index after the first pass, timed together. */
  static final int WARM_PASSES = 2;

  private final SearchCorpus corpus;
  private final int docs;
  private final int queries;
  private final Path dir;
  private final Random random;

  SearchBench(long seed, int docs, int queries, Path dir) {
    this.corpus = new SearchCorpus(seed, 30_000);
    this.docs = docs;
    this.queries = queries;
    this.dir = dir;
    this.random = new Random(seed ^ 0x5EA7C4L);
  }

  /** The queries of {@code kind}, in the loam syntax, deterministic. */
  List<String> queries(Kind kind) {
    Random r = new Random(kind.ordinal() * 7919L + 17);
    List<String> out = new ArrayList<>(queries);
    while (out.size() < queries) {
      String q = switch (kind) {
        case AND2 -> latin(r, 50, 3_000) + " " + latin(r, 50, 3_000);
        case PREFIX2 -> latin(r, 0, 5_000).substring(0, 2) + "*";
        case PHRASE -> {
          String[] words = corpus.doc(r.nextInt(docs)).body().split("[ ,.]+");
          int at = r.nextInt(words.length - 1);
          yield "\"" + words[at].toLowerCase(java.util.Locale.ROOT) + " " + words[at + 1] + "\"";
        }
        case TITLE -> { // a plain latin word of some document's title: FTS5 reads it the same way
          String w = "";
          while (!w.matches("[a-z]+")) {
            String[] words = corpus.doc(r.nextInt(docs)).title().split("[ ,.]+");
            w = words[r.nextInt(words.length)].toLowerCase(java.util.Locale.ROOT);
          }
          yield "title:" + w;
        }
        case FUZZY -> {
          String w = latin(r, 100, 3_000);
          while (w.length() < 6) {
            w = latin(r, 100, 3_000);
          }
          char[] c = w.toCharArray();
          c[1 + r.nextInt(c.length - 2)] = (char) ('a' + r.nextInt(26));
          yield new String(c) + "~";
        }
      };
      out.add(q);
    }
    return out;
  }

  private String latin(Random r, int fromRank, int toRank) {
    while (true) {
      String w = corpus.word(fromRank + r.nextInt(toRank - fromRank));
      if (w.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        return w;
      }
    }
  }

  // ---- loam-search ----

  /** The file of a repo folder's SQLite storage (as {@code loam repo new} names it). */
  static final String REPO_DB = "loam.db";

  /** Writes the corpus as the documents of the repo folder {@code folder} (which exists), each with a title and a body. */
  void writeRepo(Path folder) {
    try (Repo repo = Repo.builder().storage(dev.loam.repo.storage.SqliteStorageAdapter.open(folder.resolve(REPO_DB))).build()) {
      for (int i = 0; i < docs; i++) {
        add(repo, corpus.doc(i));
      }
    }
  }

  private static DocHandle add(Repo repo, SearchCorpus.Doc d) {
    DocHandle h = repo.create();
    h.change(tx -> {
      tx.put(ObjId.ROOT, "title", d.title());
      tx.put(ObjId.ROOT, "body", d.body());
    });
    return h;
  }

  EngineResult loam() {
    Path folder = dir.resolve("loam-index");
    try (Repo repo = Repo.builder().build()) {
      List<DocHandle> handles = new ArrayList<>(docs);
      for (int i = 0; i < docs; i++) {
        handles.add(add(repo, corpus.doc(i)));
      }
      List<DocumentId> ids = handles.stream().map(DocHandle::documentId).toList();
      double rate;
      double cpuRate;
      double warmRate;
      double warmCpuRate;
      long bytes;
      Map<Kind, Latency> lat = new LinkedHashMap<>();
      Map<Kind, Latency> plain = new LinkedHashMap<>();
      Latency update;
      try (SearchIndex index = SearchIndex.open(folder, repo)) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        index.reindex(ids, Progress.NONE);
        rate = docs / seconds(System.nanoTime() - t0);
        cpuRate = docs / seconds(processCpuNanos() - cpu0);
        bytes = size(folder);
        long w0 = System.nanoTime();
        long wcpu0 = processCpuNanos();
        for (int pass = 0; pass < WARM_PASSES; pass++) {
          index.reindex(ids, Progress.NONE);
        }
        warmRate = WARM_PASSES * docs / seconds(System.nanoTime() - w0);
        warmCpuRate = WARM_PASSES * docs / seconds(processCpuNanos() - wcpu0);
        settle(); // the rebuilds' merges run on in the background: queries are timed on a settled index
        for (Kind k : Kind.values()) {
          lat.put(k, measure(queries(k), q -> index.search(q, 20).size()));
          plain.put(k, measure(queries(k), q -> index.searchWithoutSnippets(q, 20).size()));
        }
        update = measureUpdates(q -> index.search(q, 1).size(), (i, marker) -> handles.get(i).change(
            tx -> tx.put(ObjId.ROOT, "title", corpus.doc(i).title() + " " + marker)));
      }
      return new EngineResult("loam-search", rate, cpuRate, warmRate, warmCpuRate, bytes, lat, plain, update);
    }
  }

  // ---- SQLite FTS5 ----

  EngineResult fts5() {
    Path db = dir.resolve("fts5.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("CREATE VIRTUAL TABLE docs USING fts5(url UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')");
      }
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO docs(rowid, url, title, body) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < docs; i++) {
          SearchCorpus.Doc d = corpus.doc(i);
          ins.setInt(1, i + 1);
          ins.setString(2, "doc-" + i);
          ins.setString(3, d.title());
          ins.setString(4, d.body());
          ins.addBatch();
          if (i % 1_000 == 999) {
            ins.executeBatch();
          }
        }
        ins.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      double rate = docs / seconds(System.nanoTime() - t0);
      double cpuRate = docs / seconds(processCpuNanos() - cpu0);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      long bytes = size(db);
      Map<Kind, Latency> lat = new LinkedHashMap<>();
      Map<Kind, Latency> plain = new LinkedHashMap<>();
      String withSnippet = "SELECT url, snippet(docs, -1, '<b>', '</b>', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20";
      String without = "SELECT url FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20";
      for (Kind k : Kind.values()) {
        if (k == Kind.FUZZY) {
          continue; // FTS5 has no fuzzy matching
        }
        List<String> qs = queries(k).stream().map(SearchBench::ftsQuery).toList();
        lat.put(k, measure(qs, q -> count(c, withSnippet, q)));
        plain.put(k, measure(qs, q -> count(c, without, q)));
      }
      Latency update;
      try (PreparedStatement up = c.prepareStatement("UPDATE docs SET title = ? WHERE rowid = ?")) {
        update = measureUpdates(q -> count(c, without, q), (i, marker) -> {
          try {
            up.setString(1, corpus.doc(i).title() + " " + marker);
            up.setInt(2, i + 1);
            up.executeUpdate();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
      return new EngineResult("SQLite FTS5", rate, cpuRate, Double.NaN, Double.NaN, bytes, lat, plain, update);
    } catch (SQLException e) {
      throw new IllegalStateException("FTS5: " + e.getMessage(), e);
    }
  }

  /**
   * A loam query in FTS5's syntax, which is the same for these kinds: words are ANDed, {@code
   * "a b"} is a phrase, {@code ab*} a prefix.
   */
  static String ftsQuery(String loam) {
    return loam;
  }

  private static int count(Connection c, String sql, String query) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, query);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getString(1);
          n++;
        }
      }
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException("FTS5 query " + query + ": " + e.getMessage(), e);
    }
  }

  // ---- measuring ----

  @FunctionalInterface
  interface Query {
    int run(String q);
  }

  @FunctionalInterface
  interface Edit {
    void apply(int doc, String marker);
  }

  /**
   * How many times every query of a kind runs untimed first: with one round, the JIT compiler was
   * still compiling the kind's code on the other core while it was timed (wall-clock p99 up to 3×
   * the thread's CPU time at 100,000 documents, on an idle machine).
   */
  static final int WARM_UP_ROUNDS = 3;

  /** Runs every query {@link #WARM_UP_ROUNDS} times to warm up, then once more timed; percentiles of the timed runs. */
  private static Latency measure(List<String> qs, Query engine) {
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (String q : qs) {
        engine.run(q);
      }
    }
    double[] ms = new double[qs.size()];
    double[] cpu = new double[qs.size()];
    long hits = 0;
    long gc0 = gcMillis();
    for (int i = 0; i < qs.size(); i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      hits += engine.run(qs.get(i));
      ms[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    return latency(ms, cpu, gcMillis() - gc0, (double) hits / qs.size());
  }

  /** Edits as many documents as there are queries of a kind to hold a new word, timing each until a search finds it (which must be at once). */
  private Latency measureUpdates(Query engine, Edit edit) {
    int n = Math.min(queries, docs);
    double[] ms = new double[n];
    double[] cpu = new double[n];
    long gc0 = gcMillis();
    for (int k = 0; k < n; k++) {
      String marker = "zqxmarker" + letters(k);
      int doc = random.nextInt(docs);
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      edit.apply(doc, marker);
      int found = engine.run(marker);
      ms[k] = (System.nanoTime() - t0) / 1e6;
      cpu[k] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
      if (found != 1) {
        throw new IllegalStateException("an edit was not searchable at once: " + marker + " found " + found);
      }
    }
    return latency(ms, cpu, gcMillis() - gc0, 1);
  }

  /** {@code k} written in the letters a to z (a word no other document holds). */
  private static String letters(int k) {
    StringBuilder b = new StringBuilder();
    int v = k;
    do {
      b.append((char) ('a' + v % 26));
      v /= 26;
    } while (v > 0);
    return b.toString();
  }

  private static Latency latency(double[] ms, double[] cpu, long gcMs, double meanHits) {
    return new Latency(percentile(ms, 0.5), percentile(ms, 0.99), meanHits, percentile(cpu, 0.5), percentile(cpu, 0.99), gcMs);
  }

  private static double percentile(double[] values, double p) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[(int) (p < 0.5 ? Math.floor(p * (s.length - 1)) : Math.ceil(p * (s.length - 1)))];
  }

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  /** The time the collectors have spent so far, in milliseconds. */
  private static long gcMillis() {
    long t = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  /** The CPU time of the whole process so far (every thread: helpers, merges, collectors), or 0 if unknown. */
  /**
   * Waits until this process is idle (its threads used less than a tenth of a core over the last
   * half second), at most a minute: Lucene merges the segments of a rebuild in the background.
   */
  static void settle() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (processCpuNanos() - cpu0 < (System.nanoTime() - t0) / 10) {
        return;
      }
    }
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static long size(Path p) {
    try (Stream<Path> files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
