package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phrases over an index that holds pairs of common words ({@link CommonWords}): on random corpora
 * of a few words, most of them in most documents, the documents a phrase finds are exactly those
 * where a plain model (the strings' tokens, by {@link SearchModelTest#modelTokens}) holds the
 * phrase's words in a row within one string, before and after edits, after a catch-up of edits
 * made while the index was closed, and after the index grew enough to choose its words again.
 */
class CommonWordsTest {
  /** Common words (most documents hold them), some rarer ones, and spellings that fold together. */
  private static final List<String> WORDS = List.of("the", "The", "of", "and", "café", "Cafe", "a", "the", "of", "loam",
      "runs", "zebra", "東京", "x1");
  /** The fewest documents for which the index under test chooses common words. */
  private static final int MIN_DOCUMENTS = 12;

  @TempDir Path dir;

  private static String text(Random r, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = 2 + r.nextInt(max - 1); i < n; i++) {
      b.append(i == 0 ? "" : r.nextInt(8) == 0 ? ". " : " ").append(WORDS.get(r.nextInt(WORDS.size())));
    }
    return b.toString();
  }

  /** A document's strings by path, as the model sees them. */
  private static DocHandle create(Repo repo, Random r, Map<DocumentId, Map<String, String>> models) {
    String title = text(r, 5);
    List<String> items = new ArrayList<>();
    for (int i = 0, n = r.nextInt(3); i < n; i++) {
      items.add(text(r, 6));
    }
    DocHandle h = repo.create();
    h.change(tx -> {
      tx.putText(ObjId.ROOT, "title", title);
      ObjId list = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
      for (int i = 0; i < items.size(); i++) {
        tx.insert(list, i, dev.loam.ScalarValue.of(items.get(i)));
      }
    });
    Map<String, String> m = new LinkedHashMap<>();
    m.put("/title", title);
    for (int i = 0; i < items.size(); i++) {
      m.put("/items/" + i, items.get(i));
    }
    models.put(h.documentId(), m);
    return h;
  }

  /** Replaces the title of {@code h} (in the document and its model) with new random text. */
  private static void retitle(DocHandle h, Map<String, String> model, Random r) {
    String title = text(r, 6);
    h.change(tx -> {
      ObjId t = ((Value.Obj) tx.get(ObjId.ROOT, "title").orElseThrow()).id();
      tx.spliceText(t, 0, tx.length(t), title);
    });
    model.put("/title", title);
  }

  private static boolean holds(Map<String, String> model, List<String> phrase) {
    for (String s : model.values()) {
      List<String> t = SearchModelTest.modelTokens(s);
      for (int i = 0; i + phrase.size() <= t.size(); i++) {
        if (t.subList(i, i + phrase.size()).equals(phrase)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void check(SearchIndex index, Map<DocumentId, Map<String, String>> models, Random r, String context) {
    for (int q = 0; q < 30; q++) {
      List<String> words = new ArrayList<>();
      for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
        String w = WORDS.get(r.nextInt(WORDS.size()));
        if (!w.equals("東京")) { // CJK phrases are checked by example (SearchIndexTest)
          words.add(w);
        }
      }
      if (words.size() < 2) {
        continue;
      }
      List<String> folded = words.stream().map(w -> SearchModelTest.modelTokens(w).getFirst()).toList();
      String query = "\"" + String.join(" ", words) + "\"";
      Set<String> expected = models.entrySet().stream().filter(e -> holds(e.getValue(), folded))
          .map(e -> e.getKey().toString()).collect(Collectors.toCollection(TreeSet::new));
      Set<String> actual = index.search(query, 1000).stream().map(h -> h.url().documentId().toString())
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, actual, context + ": query " + query);
    }
  }

  private static Map<String, String> committed(Path folder) throws java.io.IOException {
    try (FSDirectory d = FSDirectory.open(folder)) {
      return SegmentInfos.readLatestCommit(d).getUserData();
    }
  }

  @Test
  void theWordsChosenAreThoseHalfTheSampleHoldsAndSurviveTheCommit() {
    List<Set<String>> sample = List.of(Set.of("the", "of", "zebra"), Set.of("the", "of"), Set.of("the", "loam"),
        Set.of("the", "runs"));
    CommonWords chosen = CommonWords.choose(sample, 4_000);
    assertEquals(Set.of("the", "of"), chosen.words()); // "the" in 4 of 4, "of" in 2 of 4; the rest in 1
    assertEquals(4_000, chosen.chosenAt());
    assertEquals(chosen, CommonWords.of(chosen.userData()));
    assertEquals(CommonWords.NONE, CommonWords.of(Map.of()), "an index written before pairs holds none");
    assertEquals(CommonWords.NONE, CommonWords.of(Map.of("loam.search.common", "the the", "loam.search.common.at", "9")));
    assertEquals(CommonWords.NONE, CommonWords.of(Map.of("loam.search.common", "the", "loam.search.common.at", "x")));
    assertTrue(chosen.due(32_000, CommonWords.MIN_DOCUMENTS) && !chosen.due(31_999, CommonWords.MIN_DOCUMENTS));
    assertTrue(CommonWords.NONE.due(5_000, CommonWords.MIN_DOCUMENTS) && !CommonWords.NONE.due(4_999, CommonWords.MIN_DOCUMENTS));

    List<Set<String>> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Set<String> terms = new java.util.HashSet<>();
      for (int w = 0; w < 100; w++) {
        if (w < 70 || i < 5) {
          terms.add("w" + w);
        }
      }
      many.add(terms);
    }
    assertEquals(CommonWords.MAX_WORDS, CommonWords.choose(many, 10).words().size(), "at most the most frequent");
    assertTrue(CommonWords.choose(many, 10).words().stream().allMatch(w -> Integer.parseInt(w.substring(1)) < 70),
        "those all hold before those half hold");
  }

  @Test
  void phrasesOverPairsOfCommonWordsFindExactlyTheDocumentsHoldingThem() {
    TestSeeds.seeds().limit(40).forEach(seed -> {
      try {
        run(seed);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(TestSeeds.rerun(seed, "CommonWordsTest") + ": " + e.getMessage(), e);
      }
    });
  }

  private void run(long seed) throws Exception {
    Random r = new Random(seed);
    Path folder = dir.resolve("index-" + seed);
    Map<DocumentId, Map<String, String>> models = new LinkedHashMap<>();
    Map<DocumentId, DocHandle> handles = new LinkedHashMap<>();
    try (Repo repo = Repo.builder().build()) {
      for (int i = 0; i < MIN_DOCUMENTS; i++) {
        DocHandle h = create(repo, r, models);
        handles.put(h.documentId(), h);
      }
      SearchIndex index = SearchIndex.open(folder, repo, MIN_DOCUMENTS, DocText::of);
      try {
        index.catchUp(models.keySet(), (done, total) -> { });
        index.close();
        CommonWords chosen = CommonWords.of(committed(folder));
        assertEquals(MIN_DOCUMENTS, chosen.chosenAt(), "chosen when the index was filled");
        java.util.Map<String, Integer> df = new java.util.HashMap<>();
        for (Map<String, String> m : models.values()) {
          m.values().stream().flatMap(s -> SearchModelTest.modelTokens(s).stream()).distinct().forEach(t -> df.merge(t, 1, Integer::sum));
        }
        Set<String> expected = df.entrySet().stream().filter(e -> 2 * e.getValue() >= MIN_DOCUMENTS).map(Map.Entry::getKey)
            .collect(Collectors.toSet());
        assertEquals(expected, chosen.words(), "the words half the documents hold");

        index = SearchIndex.open(folder, repo, MIN_DOCUMENTS, DocText::of);
        check(index, models, r, "filled");
        List<DocumentId> ids = new ArrayList<>(handles.keySet());
        for (int e = 0; e < 8; e++) { // indexed as they happen, with the same pairs
          DocumentId id = ids.get(r.nextInt(ids.size()));
          retitle(handles.get(id), models.get(id), r);
        }
        check(index, models, r, "after edits");
        index.close();

        for (int e = 0; e < 4; e++) { // behind the index's back
          DocumentId id = ids.get(r.nextInt(ids.size()));
          retitle(handles.get(id), models.get(id), r);
        }
        index = SearchIndex.open(folder, repo, MIN_DOCUMENTS, DocText::of);
        index.catchUp(models.keySet(), (done, total) -> { });
        check(index, models, r, "after catching up");

        while (models.size() < CommonWords.GROWTH * MIN_DOCUMENTS) { // grown: the words are chosen again
          DocHandle h = create(repo, r, models);
          handles.put(h.documentId(), h);
        }
        check(index, models, r, "grown, before catching up");
        int touched = index.catchUp(models.keySet(), (done, total) -> { });
        assertEquals(models.size(), touched, "every document indexed afresh");
        check(index, models, r, "grown, after catching up");
        index.close();
        assertEquals(CommonWords.GROWTH * MIN_DOCUMENTS, CommonWords.of(committed(folder)).chosenAt(), "chosen again");
        index = SearchIndex.open(folder, repo, MIN_DOCUMENTS, DocText::of);
        check(index, models, r, "reopened");
      } finally {
        index.close();
      }
    }
  }
}
