package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a search finds in a repo's current documents, by example. */
class SearchIndexTest {
  @TempDir Path dir;
  Repo repo;
  SearchIndex index;

  @BeforeEach
  void open() {
    repo = Repo.builder().build();
    index = SearchIndex.open(dir.resolve("index"), repo);
  }

  @AfterEach
  void close() {
    index.close();
    repo.close();
  }

  private DocHandle note(String title, String body, String... tasks) {
    DocHandle h = repo.create();
    h.change(tx -> {
      tx.putText(ObjId.ROOT, "title", title);
      tx.put(ObjId.ROOT, "body", body);
      ObjId list = tx.putObject(ObjId.ROOT, "tasks", ObjType.LIST);
      for (int i = 0; i < tasks.length; i++) {
        ObjId task = tx.insertObject(list, i, ObjType.MAP);
        tx.putText(task, "note", tasks[i]);
      }
    });
    return h;
  }

  private Set<AutomergeUrl> urls(String query) {
    return index.search(query, 100).stream().map(SearchHit::url).collect(Collectors.toSet());
  }

  @Test
  void everyWordMustMatchSomewhereInTheSameDocument() {
    DocHandle a = note("Local first", "software you own");
    DocHandle b = note("Local shops", "bread");
    assertEquals(Set.of(a.url()), urls("local own"));
    assertEquals(Set.of(a.url(), b.url()), urls("local"));
    assertEquals(Set.of(), urls("local cheese"));
  }

  @Test
  void aPhraseMatchesWithinOneStringNeverAcrossTwo() {
    DocHandle a = note("big", "data is here", "red", "apple");
    DocHandle b = note("x", "a red apple");
    assertEquals(Set.of(b.url()), urls("\"red apple\""));
    assertEquals(Set.of(), urls("\"big data\""));
    assertEquals(Set.of(a.url(), b.url()), urls("red apple"));
  }

  @Test
  void aPhraseWhoseWordsEndOneStringAndStartTheNextDoesNotMatch() {
    DocHandle across = note("shared notes", "plan today", "buy milk", "eggs now");
    DocHandle within = note("notes plan", "milk eggs");
    assertEquals(Set.of(within.url()), urls("\"notes plan\""), "title then body");
    assertEquals(Set.of(within.url()), urls("\"milk eggs\""), "two list items");
    assertEquals(Set.of(across.url()), urls("\"shared notes\""));
    assertEquals(Set.of(across.url()), urls("\"buy milk\""));
    List<SearchHit> hits = index.search("\"milk eggs\"", 10);
    assertEquals(List.of("/body"), hits.getFirst().paths());
    assertEquals("<b>milk eggs</b>", hits.getFirst().snippet());
    // the terms of a phrase of two CJK runs are two positions apart: still not across two strings
    DocHandle korean = note("서울", "울시");
    DocHandle koreanWithin = note("x", "서울 울시");
    assertEquals(Set.of(koreanWithin.url()), urls("\"서울 울시\""));
    assertEquals(Set.of(korean.url(), koreanWithin.url()), urls("서울 울시"));
    // and under a key filter (an interval: the first term stretched over the empty position)
    DocHandle koreanTitle = note("서울 울시", "x");
    assertEquals(Set.of(koreanTitle.url()), urls("title:\"서울 울시\""));
    assertEquals(Set.of(koreanWithin.url()), urls("body:\"서울 울시\""));
  }

  @Test
  void aPhraseOfARepeatedWordNeedsItRepeatedWithinOneString() {
    DocHandle twice = note("very very good", "");
    DocHandle apart = note("very", "very", "very good very");
    assertEquals(Set.of(twice.url()), urls("\"very very\""));
    assertEquals(Set.of(), urls("\"very very very\""));
    assertEquals(Set.of(twice.url(), apart.url()), urls("\"very good\""));
  }

  @Test
  void aLongerPhraseNeedsItsWordsInSequenceNotJustEachOfItsPairs() {
    DocHandle pairsApart = note("open the window", "the door opens", "open the", "the door");
    DocHandle inSequence = note("x", "please open the door now");
    assertEquals(Set.of(inSequence.url()), urls("\"open the door\""));
    assertEquals(Set.of(pairsApart.url(), inSequence.url()), urls("\"the door\""));
    assertEquals(Set.of(), urls("\"open the door opens\""));
    assertEquals(Set.of(inSequence.url()), urls("\"please open the door now\""));
    assertEquals(List.of("/body"), index.search("\"open the door\"", 10).getFirst().paths());
  }

  @Test
  void aWordBeyondLucenesLongestTermIsIndexedInPiecesAndFoundWhole() {
    // U+FDFA folds (NFKD) to 18 letters: 10,000 of them would be a 360 KB term, Lucene's bound is 32,766 bytes
    String ligatures = "\uFDFA".repeat(10_000);
    String letters = "q".repeat(40_000);
    DocHandle huge = note("huge words", ligatures + " and " + letters);
    DocHandle after = note("an ordinary note", "written later");
    assertEquals(Set.of(huge.url()), urls("huge"));
    assertEquals(Set.of(huge.url()), urls(letters));
    assertEquals(Set.of(huge.url()), urls("\"" + ligatures + " and\""));
    assertEquals(Set.of(), urls("q".repeat(40_001)));
    assertEquals(Set.of(after.url()), urls("ordinary"));
  }

  @Test
  void aKeyBeyondLucenesLongestTermLeavesTheDocumentSearchable() {
    String hugeKey = "k".repeat(40_000); // a JSON pointer, key and path prefix of 40 KB: past Lucene's 32,766-byte terms
    DocHandle huge = repo.create();
    huge.change(tx -> {
      tx.put(ObjId.ROOT, "title", "strange keys");
      tx.put(ObjId.ROOT, hugeKey, "hidden treasure");
    });
    DocHandle after = note("an ordinary note", "written later");
    assertEquals(Set.of(huge.url()), urls("strange"));
    assertEquals(Set.of(), urls("treasure"), "a string under a pointer over Block.MAX_PATH characters is not indexed");
    assertEquals(Set.of(after.url()), urls("ordinary"));
  }

  @Test
  void theGapBetweenStringsNarrowsRatherThanOverflowLucenePositions() {
    // Lucene's last position is Integer.MAX_VALUE - 128 = 2,147,483,519; the first string's marks
    // take one position before the strings, the last one's end mark one after them
    assertEquals(10_000, Block.gap(0, 214_748), "214,748 gaps of 10,000 end at 2,147,480,000");
    assertEquals(10_000, Block.gap(3_517, 214_748));
    assertEquals(2, Block.gap(3_518, 214_748));
    assertEquals(2, Block.gap(0, 214_749));
    assertEquals(2, Block.gap(2_147_483_519L - 2 - 2 * 1_000_000L, 1_000_000));
    assertThrows(IllegalArgumentException.class, () -> Block.gap(2_147_483_519L - 2 - 2 * 1_000_000L + 1, 1_000_000));
  }

  @Test
  void caseAndAccentsAreFoldedAndNothingIsStemmed() {
    DocHandle a = note("Café CRÈME", "Straße");
    DocHandle b = note("runs", "");
    assertEquals(Set.of(a.url()), urls("cafe"));
    assertEquals(Set.of(a.url()), urls("CAFÉ creme"));
    assertEquals(Set.of(b.url()), urls("runs"));
    assertEquals(Set.of(), urls("run"));
  }

  @Test
  void chineseAndJapaneseTextIsFoundByAnyTwoCharacterPart() {
    DocHandle a = note("東京都に行く", "");
    DocHandle b = note("京都", "");
    assertEquals(Set.of(a.url()), urls("東京"));
    assertEquals(Set.of(a.url(), b.url()), urls("京都"));
    assertEquals(Set.of(a.url()), urls("東京都"));
    assertEquals(Set.of(), urls("東京タワー"));
    assertEquals("<b>東京</b>都に行く", index.search("東京", 1).getFirst().snippet());
    DocHandle c = note("東京 京都", "서울 울시");
    assertEquals(Set.of(a.url()), urls("東京都"), "a phrase of bigrams never spans two runs");
    assertEquals(Set.of(), urls("서울시"));
    assertEquals(Set.of(c.url()), urls("\"서울 울시\""));
  }

  @Test
  void numbersAndIdentifiersAreTokens() {
    DocHandle a = note("Release 2024", "see issue_42 and v1.2");
    assertEquals(Set.of(a.url()), urls("2024"));
    assertEquals(Set.of(a.url()), urls("issue 42"));
    assertEquals(Set.of(a.url()), urls("issue_42"));
  }

  @Test
  void prefixesFuzzyTermsKeysPathsOrAndNot() {
    DocHandle a = note("Collaboration", "Kleppmann wrote it", "buy milk");
    DocHandle b = note("milk", "collab notes");
    assertEquals(Set.of(a.url(), b.url()), urls("collab*"));
    assertEquals(Set.of(a.url()), urls("kleppman~"));
    assertEquals(Set.of(b.url()), urls("title:milk"));
    assertEquals(Set.of(a.url()), urls("note:milk"));
    assertEquals(Set.of(a.url()), urls("milk path:/tasks"));
    assertEquals(Set.of(b.url()), urls("milk path:/title"));
    assertEquals(Set.of(a.url(), b.url()), urls("kleppmann OR notes"));
    assertEquals(Set.of(b.url()), urls("milk NOT kleppmann"));
    assertEquals(Set.of(b.url()), urls("milk -kleppmann"));
    assertEquals(Set.of(a.url()), urls("(notes OR wrote) buy"));
  }

  @Test
  void aHitNamesItsBestPathsAndHighlightsASnippet() {
    DocHandle a = note("Shopping", "nothing", "buy milk", "buy bread");
    List<SearchHit> hits = index.search("bread", 10);
    assertEquals(1, hits.size());
    SearchHit hit = hits.getFirst();
    assertEquals(a.url(), hit.url());
    assertEquals(List.of("/tasks/1/note"), hit.paths());
    assertEquals("buy <b>bread</b>", hit.snippet().strip());
    assertTrue(hit.score() > 0);
    SearchHit plain = index.searchWithoutSnippets("bread", 10).getFirst();
    assertEquals(new SearchHit(hit.url(), hit.score(), hit.paths(), ""), plain, "the same hit, its snippet left out");
  }

  @Test
  void aPrefixHitNamesTheStringsHoldingItsWordsAndHighlightsThem() {
    note("Collar", "nothing here", "a colleague", "buy bread");
    DocHandle other = note("Calm", "coloured collars", "col");
    List<SearchHit> hits = index.search("colle* bread", 10);
    assertEquals(1, hits.size());
    assertEquals(Set.of("/tasks/0/note", "/tasks/1/note"), Set.copyOf(hits.getFirst().paths()));
    assertEquals("a <b>colleague</b>", index.search("colle*", 10).getFirst().snippet().strip());
    SearchHit collars = index.search("colla* coloured", 10).getFirst();
    assertEquals(other.url(), collars.url());
    assertEquals(List.of("/body"), collars.paths());
    assertEquals("<b>coloured</b> <b>collars</b>", collars.snippet().strip());
    assertEquals(List.of("/title", "/body"), index.search("title:colla* OR collars", 10).stream()
        .flatMap(h -> h.paths().stream()).sorted().toList().reversed());
  }

  @Test
  void aDocumentIsOneHitNamingAtMostThreeBestPathsAndAnExcludingQueryNamesNone() {
    DocHandle a = note("kiwi", "kiwi kiwi kiwi", "kiwi", "kiwi pie", "no");
    DocHandle b = note("other", "");
    List<SearchHit> hits = index.search("kiwi", 10);
    assertEquals(1, hits.size());
    assertEquals(Searcher.PATHS, hits.getFirst().paths().size());
    assertTrue(Set.of("/title", "/body", "/tasks/0/note", "/tasks/1/note").containsAll(hits.getFirst().paths()));
    List<SearchHit> not = index.search("-kiwi", 10);
    assertEquals(List.of(b.url()), not.stream().map(SearchHit::url).toList());
    assertEquals(List.of(), not.getFirst().paths());
    assertEquals(Set.of(a.url(), b.url()), urls("kiwi OR other"));
  }

  @Test
  void aSnippetIsAShortStretchAroundTheMatchWithHtmlEscaped() {
    note("x", "filler ".repeat(200) + "the <needle> & more " + "filler ".repeat(200));
    String snippet = index.search("needle", 1).getFirst().snippet();
    assertTrue(snippet.contains("&lt;<b>needle</b>&gt; &amp; more"), snippet);
    assertTrue(snippet.length() < 2 * Searcher.SNIPPET, snippet);
  }

  @Test
  void expensiveOrMalformedQueriesAreRefusedWithATypedError() {
    note("anything", "");
    for (String q : List.of("*thing", "a*", "an~", "any*thing", "\"open", "(a", "", "OR x", "NOT", "path:tasks", "x OR path:/a",
        "-", "path:/tasks", "()", "title: x")) {
      InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> index.search(q, 10), q);
      assertEquals(q, e.query());
      assertTrue(e.getMessage().startsWith("invalid search query '" + q + "': "), e.getMessage());
    }
  }

  @Test
  void aPrefixUnderAFilterStandingForTooManyWordsIsRefusedAndAShorterListRuns() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < Filters.MAX_EXPANSIONS + 1; i++) {
      many.append("zq").append(i).append(' ');
    }
    DocHandle a = note("zq1 title", many.toString());
    String q = "title:zq*";
    InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> index.search(q, 10));
    assertEquals("invalid search query 'title:zq*': with a key or path filter, the prefix 'zq*' stands for more than 1024 words "
        + "of the index: give it more letters", e.getMessage());
    assertEquals(Set.of(a.url()), urls("zq*"), "without a filter, a two-letter prefix is one postings list");
    assertEquals(Set.of(a.url()), urls("title:zq1*"), "zq1, zq10 to zq19, zq100 to zq199, zq1000 to zq1024: 136 words");
    assertEquals(Set.of(), urls("title:zq2*"));
    assertEquals(List.of("/title"), index.search("title:zq1*", 1).getFirst().paths());
  }

  @Test
  void editsAndDeletionsAreSeenByTheNextSearch() {
    DocHandle a = note("first draft", "");
    assertEquals(Set.of(a.url()), urls("draft"));
    a.change(tx -> {
      ObjId title = ((Value.Obj) tx.get(ObjId.ROOT, "title").orElseThrow()).id();
      tx.spliceText(title, 6, 5, "final");
    });
    assertEquals(Set.of(), urls("draft"));
    assertEquals(Set.of(a.url()), urls("\"first final\""));
    a.change(tx -> tx.put(ObjId.ROOT, "extra", ScalarValue.of("zebra")));
    assertEquals(Set.of(a.url()), urls("zebra"));
    repo.delete(a.documentId());
    assertEquals(Set.of(), urls("first"));
    assertFalse(index.indexedHeads().containsKey(a.documentId()));
  }

  @Test
  void theIndexRecordsTheHeadsItIndexed() {
    DocHandle a = note("x", "y");
    index.awaitIndexed();
    DocumentId id = a.documentId();
    assertEquals(a.heads(), index.indexedHeads().get(id));
  }
}
