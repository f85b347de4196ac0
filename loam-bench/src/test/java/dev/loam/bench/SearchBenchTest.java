package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the search benchmark: both engines index the same small corpus and answer the
 * same queries; where their query languages mean the same (words, phrases, prefixes over the same
 * folded Latin words), they must return as many hits, so the harness compares like with like.
 */
class SearchBenchTest {
  @TempDir Path dir;

  @Test
  void bothEnginesIndexTheCorpusAndAgreeOnTheHitsOfTheSameQueries() {
    SearchBench bench = new SearchBench(3, 400, 15, dir);
    SearchBench.EngineResult loam = bench.loam();
    SearchBench.EngineResult fts = bench.fts5();
    for (SearchBench.Kind k : List.of(SearchBench.Kind.AND2, SearchBench.Kind.PREFIX2, SearchBench.Kind.PHRASE, SearchBench.Kind.TITLE)) {
      assertEquals(fts.queries().get(k).meanHits(), loam.queries().get(k).meanHits(), 1e-9, k.label);
    }
    assertTrue(loam.queries().get(SearchBench.Kind.PHRASE).meanHits() >= 1, "every phrase comes from a document");
    assertTrue(loam.queries().get(SearchBench.Kind.FUZZY).meanHits() > 0, "fuzzy terms find near words");
    assertTrue(loam.queries().get(SearchBench.Kind.TITLE).meanHits() >= 1, "every title word comes from a title");
    for (SearchBench.Kind k : SearchBench.Kind.values()) {
      assertEquals(loam.queries().get(k).meanHits(), loam.withoutSnippets().get(k).meanHits(), 1e-9, "without snippets: " + k.label);
    }
    assertTrue(loam.indexBytes() > 0 && fts.indexBytes() > 0);
    String report = SearchBenchCommand.report(400, List.of(loam, fts), true);
    assertTrue(report.contains("| 2-letter prefix, top 20 with snippets: p50 / p99 ms (mean hits) |"), report);
    assertTrue(report.contains("| 2-letter prefix, with snippets: CPU p50 / p99 ms; collector ms in the run |"), report);
    assertTrue(loam.docsPerCpuSecond() > 0 && fts.docsPerCpuSecond() > 0);
    assertTrue(loam.warmDocsPerSecond() > 0 && Double.isNaN(fts.warmDocsPerSecond()));
    assertTrue(report.contains("| indexing, 2 more passes (documents/s) | "), report);
    assertTrue(report.contains(" | — |"), "FTS5 has no warm passes: " + report);
  }

  @Test
  void theCorpusIsTheSameForTheSameSeed() {
    assertEquals(new SearchCorpus(5, 1_000).doc(42), new SearchCorpus(5, 1_000).doc(42));
    String body = new SearchCorpus(5, 1_000).doc(7).body();
    assertTrue(body.length() >= 1_400 && body.length() <= 1_600, body.length() + " characters");
  }

  @Test
  void theCorpusWrittenAsARepoFolderHoldsEveryDocument() {
    Path folder = dir.resolve("notes");
    assertTrue(folder.toFile().mkdir());
    new SearchBench(5, 30, 1, dir).writeRepo(folder);
    SearchCorpus corpus = new SearchCorpus(5, 30_000);
    try (dev.loam.repo.Repo repo = dev.loam.repo.Repo.builder()
        .storage(dev.loam.repo.storage.SqliteStorageAdapter.open(folder.resolve(SearchBench.REPO_DB))).build()) {
      java.util.Set<String> bodies = new java.util.HashSet<>();
      for (dev.loam.repo.spi.Chunk c : repo.storageAdapter().orElseThrow().loadRange(dev.loam.repo.spi.StorageKey.EMPTY)) {
        dev.loam.repo.id.DocumentId.tryParse(c.key().get(0)).flatMap(repo::loadStored)
            .ifPresent(d -> bodies.add(d.get(dev.loam.ObjId.ROOT, "body").orElseThrow().toString()));
      }
      assertEquals(30, bodies.size());
      assertTrue(bodies.stream().anyMatch(b -> b.contains(corpus.doc(29).body())), "the last document's body");
    }
  }
}
