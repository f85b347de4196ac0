package dev.loam.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.MatchesIterator;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.jspecify.annotations.Nullable;

/**
 * Names a hit's best strings: where on its parent's words each atom of the query matches
 * (Lucene's matches, read for the hit alone), each match counted for the string whose span
 * ({@link IndexStore#SPAN}, marks included) holds its position, and the strings scored as BM25
 * would over those counts: each atom weighs the inverse document frequency of its words among the
 * documents, its count saturates, a longer string counts less. Stateless.
 */
final class BestStrings {
  private static final float K1 = 1.2f;
  private static final float B = 0.75f;
  /** The most of an atom's words whose frequencies weigh it (a prefix may stand for a thousand). */
  private static final int IDF_TERMS = 16;

  private BestStrings() {}

  /**
   * One atom of the query, located on the parents' words by {@code weight}, or else counted
   * already ({@code counted}: its tokens in each string, by the string's Lucene document); its
   * BM25 idf; the words a snippet marks for it.
   */
  record Located(@Nullable Weight weight, Map<Integer, Integer> counted, float idf, Set<String> words) {
    /**
     * {@code q}, the atom's query on the parents' words (unscored, matches only), weighing the
     * mean idf of its words; {@code phrase} when its words are marked only where they form it.
     */
    static Located of(IndexSearcher s, Query q, boolean phrase) throws IOException {
      Query rewritten = s.rewrite(q);
      Set<String> words = Filters.wordsOf(rewritten);
      Weight weight = s.createWeight(rewritten, ScoreMode.COMPLETE_NO_SCORES, 1f);
      return new Located(weight, Map.of(), idf(s, words, phrase), phrase ? Set.of() : words);
    }

    /** An atom standing for {@code words}, holding {@code counted} of their tokens per string. */
    static Located counted(IndexSearcher s, Set<String> words, Map<Integer, Integer> counted) throws IOException {
      return new Located(null, counted, idf(s, words, false), words);
    }

    /** The idf of {@code words}: their sum for a phrase, else their mean (of the first {@link #IDF_TERMS}); 1 for none. */
    private static float idf(IndexSearcher s, Set<String> words, boolean phrase) throws IOException {
      int parents = s.getIndexReader().docFreq(new Term(IndexStore.TYPE, IndexStore.DOC));
      float idf = 0;
      int n = 0;
      for (String w : words) {
        if (n == IDF_TERMS) {
          break;
        }
        int df = s.getIndexReader().docFreq(new Term(IndexStore.WORDS, w));
        idf += (float) Math.log(1 + (parents - df + 0.5) / (df + 0.5));
        n++;
      }
      return n == 0 ? 1f : phrase ? idf : idf / n;
    }
  }

  /**
   * For each hit of {@code hits} (parents), its best {@link Searcher#PATHS} strings that {@code
   * atoms} match, best first (ties in document order), each as its Lucene document and score.
   */
  static List<List<ScoreDoc>> of(IndexSearcher s, List<Located> atoms, ScoreDoc[] hits) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    List<List<ScoreDoc>> best = new ArrayList<>(hits.length);
    for (ScoreDoc hit : hits) {
      Searcher.HitStrings strings = Searcher.HitStrings.of(leaves.get(ReaderUtil.subIndex(hit.doc, leaves)), hit.doc);
      best.add(of(strings.leaf(), strings.first(), strings.last(), atoms));
    }
    return best;
  }

  /** The best strings of the parent {@code parent} of {@code leaf}, whose strings are its documents {@code first} up to it. */
  private static List<ScoreDoc> of(LeafReaderContext leaf, int first, int parent, List<Located> atoms) throws IOException {
    int n = parent - first;
    int[] child = new int[n];
    int[] from = new int[n];
    int[] to = new int[n];
    int spans = 0;
    NumericDocValues values = DocValues.getNumeric(leaf.reader(), IndexStore.SPAN);
    for (int c = first; c < parent; c++) {
      if (values.advanceExact(c)) {
        child[spans] = c;
        from[spans] = Block.first(values.longValue()) - 1; // its marks
        to[spans] = Block.last(values.longValue()) + 1; // its end
        spans++;
      }
    }
    if (spans == 0) {
      return List.of();
    }
    float[][] counts = new float[atoms.size()][spans];
    for (int a = 0; a < atoms.size(); a++) {
      Weight weight = atoms.get(a).weight();
      if (weight == null) {
        for (int k = 0; k < spans; k++) {
          counts[a][k] = atoms.get(a).counted().getOrDefault(leaf.docBase + child[k], 0);
        }
        continue;
      }
      Matches m = weight.matches(leaf, parent);
      MatchesIterator it = m == null ? null : m.getMatches(IndexStore.WORDS);
      while (it != null && it.next()) {
        int k = Arrays.binarySearch(from, 0, spans, it.startPosition());
        k = k >= 0 ? k : -k - 2; // the last string starting at or before the match
        if (k >= 0 && it.startPosition() <= to[k]) {
          counts[a][k]++;
        }
      }
    }
    float mean = 0;
    for (int k = 0; k < spans; k++) {
      mean += to[k] - from[k] - 1; // its tokens' positions
    }
    mean = Math.max(1, mean / spans);
    List<ScoreDoc> found = new ArrayList<>();
    for (int k = 0; k < spans; k++) {
      float norm = K1 * (1 - B + B * (to[k] - from[k] - 1) / mean);
      float score = 0;
      for (int a = 0; a < atoms.size(); a++) {
        float tf = counts[a][k];
        score += tf == 0 ? 0 : atoms.get(a).idf() * tf * (K1 + 1) / (tf + norm);
      }
      if (score > 0) {
        found.add(new ScoreDoc(leaf.docBase + child[k], score));
      }
    }
    found.sort((x, y) -> x.score != y.score ? Float.compare(y.score, x.score) : Integer.compare(x.doc, y.doc));
    return List.copyOf(found.subList(0, Math.min(Searcher.PATHS, found.size())));
  }
}
