package dev.loam.search;

import dev.loam.repo.id.DocumentId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;

/**
 * Runs a {@link SearchQuery} on an {@link IndexStore}: turns it into Lucene queries and its
 * results into {@link SearchHit}s.
 *
 * <p>Implementation notes. Every query runs on the parents (the strings, children, hold no
 * terms). An atom with no key or path filter (a word, a phrase, a prefix, a fuzzy term) runs on
 * their words field, which holds every token of every string at its position, the strings {@link
 * Block#GAP} positions apart so that no phrase spans two, and on their prefix field, the first two
 * letters of each term, so a two-letter prefix is one postings list rather than an expansion. An
 * atom with a key or path filter is an interval within a string with that key or pointer ({@link
 * Filters}). {@code AND}, {@code OR} and {@code NOT} then combine those queries. So every word
 * must match some string of the document, while a phrase, a key filter and a path filter hold
 * within one string. For the top documents, each atom is located on the hit's words (a prefix
 * standing for the terms the hits' strings hold that start with it) and its matches counted per
 * string to name the hit's best strings ({@link BestStrings}); the best string of every hit gives
 * its snippet ({@link Snippet}: the string analysed again). Expensive forms are refused by the
 * parser; a prefix of four letters or more or a fuzzy term expands to at most Lucene's bounded
 * number of terms (a prefix under a filter to {@link Filters#MAX_EXPANSIONS}). Cost: one Lucene
 * search counting no further than the hits, each atom's matches read on each hit alone, and one
 * analysis of each hit's best string (of all its strings, for a prefix). Stateless.
 */
final class Searcher {
  /** How many best paths a hit names. */
  static final int PATHS = 3;
  /** The length a snippet aims at, in characters (half of it on each side of its first match). */
  static final int SNIPPET = 160;
  /** Every parent: one per document. */
  static final Query PARENTS = new TermQuery(new Term(IndexStore.TYPE, IndexStore.DOC));
  private static final BitSetProducer PARENT_BITS = new QueryBitSetProducer(PARENTS);
  private static final Set<String> TEXT_ONLY = Set.of(IndexStore.TEXT);

  private Searcher() {}

  /** The best {@code limit} documents for {@code query}, best first, each with a snippet if {@code withSnippets}. */
  static List<SearchHit> search(IndexStore store, SearchQuery query, int limit, boolean withSnippets) {
    List<SearchQuery.Atom> atoms = new ArrayList<>();
    positiveAtoms(query.root(), atoms);
    return store.withSearcherAndWords((s, common) -> {
      Map<SearchQuery.Atom, Query> filtered = new IdentityHashMap<>(); // each filtered atom expanded once
      Query top = documents(s, query, query.root(), common, filtered);
      // the total is not reported: counting no further than the hits lets scorers skip non-competitive documents
      TopDocs docs = s.search(top, new TopScoreDocCollectorManager(limit, limit));
      List<String> urls = new ArrayList<>(docs.scoreDocs.length);
      for (ScoreDoc d : docs.scoreDocs) {
        urls.add(docValue(s, IndexStore.URL_VALUE, d.doc));
      }
      List<List<ScoreDoc>> best = List.of();
      String[] snippets = new String[docs.scoreDocs.length];
      if (!atoms.isEmpty()) {
        // each atom located on the parents' words (a prefix as the terms the hits hold, a fuzzy term expanded)
        Held held = prefixTerms(s, atoms, docs.scoreDocs);
        List<BestStrings.Located> located = new ArrayList<>(atoms.size());
        for (SearchQuery.Atom a : atoms) {
          boolean phrase = a.match() instanceof SearchQuery.Phrase p && p.terms().size() > 1;
          located.add(a.match() instanceof SearchQuery.Prefix p && !Filters.applies(a, query.paths())
              ? BestStrings.Located.counted(s, held.terms().get(p.prefix()), held.counts().get(p.prefix()))
              : BestStrings.Located.of(s, locate(s, query, a, filtered), phrase));
        }
        best = BestStrings.of(s, located, docs.scoreDocs);
        if (withSnippets) {
          snippets = snippets(s, located, atoms, best);
        }
      }
      List<SearchHit> hits = new ArrayList<>(docs.scoreDocs.length);
      for (int i = 0; i < docs.scoreDocs.length; i++) {
        List<String> paths = new ArrayList<>();
        for (ScoreDoc c : best.isEmpty() ? List.<ScoreDoc>of() : best.get(i)) {
          paths.add(docValue(s, IndexStore.PATH, c.doc));
        }
        hits.add(new SearchHit(DocumentId.parse(urls.get(i)).toUrl(), docs.scoreDocs[i].score, paths,
            snippets[i] == null ? "" : snippets[i]));
      }
      return hits;
    });
  }

  /** The value of doc-values field {@code field} of Lucene document {@code doc} (a string, every one of them has). */
  private static String docValue(IndexSearcher s, String field, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = DocValues.getBinary(leaf.reader(), field);
    if (!values.advanceExact(doc - leaf.docBase)) {
      throw new org.apache.lucene.index.CorruptIndexException("a document has no " + field + " (rebuild the index)", leaf.reader().toString());
    }
    return values.binaryValue().utf8ToString();
  }

  /** The strings of a hit: the documents of {@code leaf} from {@code first} up to {@code last}, its parent (leaf-relative). */
  record HitStrings(LeafReaderContext leaf, int first, int last) {
    static HitStrings of(LeafReaderContext leaf, int parent) throws IOException {
      int last = parent - leaf.docBase;
      int first = last == 0 ? 0 : PARENT_BITS.getBitSet(leaf).prevSetBit(last - 1) + 1;
      return new HitStrings(leaf, first, last);
    }
  }

  /**
   * For each prefix, the words starting with it that the hits' strings hold, and how many of their
   * tokens each string (by its Lucene document) holds.
   */
  private record Held(Map<String, Set<String>> terms, Map<String, Map<Integer, Integer>> counts) {}

  /**
   * For each prefix among {@code atoms}, the terms starting with it that the strings of {@code
   * hits} hold and their counts per string (read from their stored text and analysed again):
   * naming a hit's best strings then needs no postings, where the prefix itself would read those
   * of every term it expands to in the whole index (hundreds, for two letters). Empty when no atom
   * is a prefix.
   */
  private static Held prefixTerms(IndexSearcher s, List<SearchQuery.Atom> atoms, ScoreDoc[] hits) throws IOException {
    Set<String> prefixes = new HashSet<>();
    for (SearchQuery.Atom a : atoms) {
      if (a.match() instanceof SearchQuery.Prefix p) {
        prefixes.add(p.prefix());
      }
    }
    Map<String, Set<String>> held = new HashMap<>();
    Map<String, Map<Integer, Integer>> counts = new HashMap<>();
    if (prefixes.isEmpty()) {
      return new Held(held, counts);
    }
    prefixes.forEach(p -> {
      held.put(p, new TreeSet<>());
      counts.put(p, new HashMap<>());
    });
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    for (ScoreDoc hit : hits) {
      HitStrings strings = HitStrings.of(leaves.get(ReaderUtil.subIndex(hit.doc, leaves)), hit.doc);
      StoredFields stored = strings.leaf().reader().storedFields();
      for (int c = strings.first(); c < strings.last(); c++) {
        for (Tokens.Token t : Tokens.of(stored.document(c, TEXT_ONLY).get(IndexStore.TEXT))) {
          for (String p : prefixes) {
            if (t.term().startsWith(p)) {
              held.get(p).add(t.term());
              counts.get(p).merge(strings.leaf().docBase + c, 1, Integer::sum);
            }
          }
        }
      }
    }
    return new Held(held, counts);
  }

  /**
   * A snippet ({@link Snippet}) of each hit's best string, marking the words {@code located} for
   * the atoms (a prefix or a fuzzy term as the words it stands for) and the phrases of {@code atoms}.
   */
  private static String[] snippets(IndexSearcher s, List<BestStrings.Located> located, List<SearchQuery.Atom> atoms,
      List<List<ScoreDoc>> best) throws IOException {
    Set<String> words = new HashSet<>();
    for (BestStrings.Located l : located) {
      words.addAll(l.words()); // none for a phrase: its words are marked only where they form it
    }
    List<List<Tokens.Token>> phrases = new ArrayList<>();
    for (SearchQuery.Atom a : atoms) {
      if (a.match() instanceof SearchQuery.Phrase p && p.terms().size() > 1) {
        phrases.add(p.tokens());
      }
    }
    Snippet.Marks marks = new Snippet.Marks(words, phrases);
    StoredFields stored = s.storedFields();
    String[] out = new String[best.size()];
    for (int i = 0; i < best.size(); i++) {
      out[i] = best.get(i).isEmpty() ? ""
          : Snippet.of(stored.document(best.get(i).getFirst().doc, TEXT_ONLY).get(IndexStore.TEXT), marks, SNIPPET / 2);
    }
    return out;
  }

  /** {@code node} of {@code query} as a query on documents (parents) indexed with the pairs of {@code common} words. */
  private static Query documents(IndexSearcher s, SearchQuery query, SearchQuery.Node node, CommonWords common,
      Map<SearchQuery.Atom, Query> filtered) throws IOException {
    return switch (node) {
      case SearchQuery.And and -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (SearchQuery.Node part : and.parts()) {
          b.add(documents(s, query, part, common, filtered), Occur.MUST);
        }
        yield b.build();
      }
      case SearchQuery.Or or -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (SearchQuery.Node part : or.parts()) {
          b.add(documents(s, query, part, common, filtered), Occur.SHOULD);
        }
        yield b.build();
      }
      case SearchQuery.Not not -> new BooleanQuery.Builder()
          .add(PARENTS, Occur.FILTER)
          .add(documents(s, query, not.part(), common, filtered), Occur.MUST_NOT)
          .build();
      case SearchQuery.Atom atom -> Filters.applies(atom, query.paths())
          ? filtered(s, query, atom, filtered)
          : wholeDocument(atom, common);
    };
  }

  /**
   * {@code atom} (with no key nor path filter) scored on the parents' words and prefixes: a word, a
   * phrase (the words' positions leave gaps between strings, so it holds within one string), a
   * prefix, a fuzzy term.
   */
  private static Query wholeDocument(SearchQuery.Atom atom, CommonWords common) {
    return switch (atom.match()) {
      case SearchQuery.Phrase p -> documentPhrase(p, common);
      case SearchQuery.Prefix p -> prefix(p.prefix());
      case SearchQuery.Fuzzy f -> new FuzzyQuery(new Term(IndexStore.WORDS, f.term()), f.edits());
    };
  }

  /**
   * The documents holding phrase {@code p} in one string, on the parents: ranked by its words
   * (BM25 over the document's words, as an AND of them) and kept to the parents where the phrase
   * holds on their positions. Ranking by the words lets the search skip blocks of parents whose
   * words cannot reach the top hits, and the phrase's positions are then read only for the
   * parents the words leave; a phrase scored by its own frequency could skip little, as its bound
   * (the words' frequencies) is far above what a phrase of common words scores.
   *
   * <p>Two {@link CommonWords} next to each other count as one term, their pair: a phrase of two
   * is its pair's postings alone (exactly the documents where one string holds them in a row); in a
   * longer phrase the pairs stand for their words among the ranking terms, which the pairs'
   * short postings then lead.
   */
  private static Query documentPhrase(SearchQuery.Phrase p, CommonWords common) {
    List<String> terms = p.terms();
    if (terms.size() == 1) {
      return new TermQuery(new Term(IndexStore.WORDS, terms.getFirst()));
    }
    java.util.SequencedSet<String> pairs = new LinkedHashSet<>();
    boolean[] paired = new boolean[terms.size()];
    for (int i = 0; i + 1 < terms.size(); i++) {
      if (p.positions().get(i + 1) == p.positions().get(i) + 1 && common.pair(terms.get(i), terms.get(i + 1))) {
        pairs.add(CommonWords.pairTerm(terms.get(i), terms.get(i + 1)));
        paired[i] = true;
        paired[i + 1] = true;
      }
    }
    if (terms.size() == 2 && !pairs.isEmpty()) {
      return new TermQuery(new Term(IndexStore.PAIRS, pairs.getFirst()));
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(phrase(IndexStore.WORDS, p), Occur.FILTER);
    for (String pair : pairs) {
      b.add(new TermQuery(new Term(IndexStore.PAIRS, pair)), Occur.MUST);
    }
    Set<String> words = new LinkedHashSet<>();
    for (int i = 0; i < terms.size(); i++) {
      if (!paired[i]) {
        words.add(terms.get(i));
      }
    }
    for (String t : words) {
      b.add(new TermQuery(new Term(IndexStore.WORDS, t)), Occur.MUST);
    }
    return b.build();
  }

  /**
   * The documents holding a term starting with {@code prefix}, all scored 1: a two-letter prefix
   * by its indexed prefix term (one postings list, however many terms it expands to), a longer one
   * expanded over the words.
   */
  private static Query prefix(String prefix) {
    return Block.indexedPrefix(prefix)
        ? new ConstantScoreQuery(new TermQuery(new Term(IndexStore.PREFIX, prefix)))
        : new PrefixQuery(new Term(IndexStore.WORDS, prefix));
  }

  /** The string queries of the atoms that count for a match (not under a NOT). */
  private static void positiveAtoms(SearchQuery.Node node, List<SearchQuery.Atom> out) {
    switch (node) {
      case SearchQuery.And and -> and.parts().forEach(p -> positiveAtoms(p, out));
      case SearchQuery.Or or -> or.parts().forEach(p -> positiveAtoms(p, out));
      case SearchQuery.Not not -> { }
      case SearchQuery.Atom atom -> out.add(atom);
    }
  }

  /**
   * Where {@code atom} of {@code query} (not a prefix without a filter: {@link #prefixTerms} counts
   * those) matches on the parents' words: as {@link #documents} finds it, but a phrase is its
   * positions alone.
   */
  private static Query locate(IndexSearcher s, SearchQuery query, SearchQuery.Atom atom, Map<SearchQuery.Atom, Query> filtered)
      throws IOException {
    if (Filters.applies(atom, query.paths())) {
      return filtered(s, query, atom, filtered);
    }
    return switch (atom.match()) {
      case SearchQuery.Phrase p -> phrase(IndexStore.WORDS, p);
      case SearchQuery.Prefix p -> new PrefixQuery(new Term(IndexStore.WORDS, p.prefix()));
      case SearchQuery.Fuzzy f -> new FuzzyQuery(new Term(IndexStore.WORDS, f.term()), f.edits());
    };
  }

  /** {@code atom}'s query under its filters ({@link Filters#documents}), made once per search and kept in {@code made}. */
  private static Query filtered(IndexSearcher s, SearchQuery query, SearchQuery.Atom atom, Map<SearchQuery.Atom, Query> made)
      throws IOException {
    Query q = made.get(atom);
    if (q == null) {
      q = Filters.documents(s, query, atom);
      made.put(atom, q);
    }
    return q;
  }

  /** {@code p} on {@code field}: its one term, or its terms at their relative positions. */
  private static Query phrase(String field, SearchQuery.Phrase p) {
    if (p.terms().size() == 1) {
      return new TermQuery(new Term(field, p.terms().getFirst()));
    }
    PhraseQuery.Builder b = new PhraseQuery.Builder();
    for (int i = 0; i < p.terms().size(); i++) {
      b.add(new Term(field, p.terms().get(i)), p.positions().get(i));
    }
    return b.build();
  }
}
