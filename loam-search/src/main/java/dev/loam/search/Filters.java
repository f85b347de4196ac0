package dev.loam.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.queries.intervals.IntervalQuery;
import org.apache.lucene.queries.intervals.Intervals;
import org.apache.lucene.queries.intervals.IntervalsSource;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * An atom kept to strings under a key ({@code title:loam}) or to pointers ({@code path:/tasks}),
 * as a query on the parents' words: an interval of the atom's match contained in a string whose
 * marks name that key or pointer ({@link Block#KEY_MARK}, {@link Block#UNDER_MARK}), a string
 * being the interval from such a mark to the next {@link Block#END_MARK}. A prefix or a fuzzy term
 * is expanded over the words first (intervals take terms, not patterns): a fuzzy term to the 50
 * closest, as {@link FuzzyQuery} does, a prefix to every word it starts, at most {@link
 * #MAX_EXPANSIONS}. Stateless.
 */
final class Filters {
  /** The most words a prefix under a filter may stand for; more is refused, with the advice to type more letters. */
  static final int MAX_EXPANSIONS = 1024;

  private Filters() {}

  /** Whether {@code atom} is kept to some strings: it has a key, or {@code paths} filter (and not to the root). */
  static boolean applies(SearchQuery.Atom atom, List<String> paths) {
    return atom.key().isPresent() || !under(paths).isEmpty();
  }

  /** The pointers {@code paths} keeps strings to; none when it keeps every string. */
  private static List<String> under(List<String> paths) {
    return paths.contains("/") ? List.of() : paths;
  }

  /**
   * The documents where {@code atom} matches within a string with its key and under one of {@code
   * paths} (of {@code query}, named in a refusal).
   *
   * @throws InvalidQueryException if a prefix stands for more than {@link #MAX_EXPANSIONS} words
   */
  static Query documents(IndexSearcher s, SearchQuery query, SearchQuery.Atom atom) throws IOException {
    Optional<IntervalsSource> match = switch (atom.match()) {
      case SearchQuery.Phrase p -> Optional.of(phrase(p));
      case SearchQuery.Prefix p -> anyTerm(prefixed(s, query, p.prefix()));
      case SearchQuery.Fuzzy f -> anyTerm(fuzzy(s, f));
    };
    if (match.isEmpty()) {
      return new MatchNoDocsQuery("no word of the index is like " + atom.match());
    }
    IntervalsSource in = match.get();
    if (atom.key().isPresent()) {
      in = Intervals.containedBy(in, string(Block.KEY_MARK + atom.key().get()));
    }
    List<String> under = under(query.paths());
    if (!under.isEmpty()) {
      List<IntervalsSource> strings = new ArrayList<>(under.size());
      for (String p : under) {
        strings.add(string(Block.UNDER_MARK + p));
      }
      in = Intervals.containedBy(in, Intervals.or(strings));
    }
    return new IntervalQuery(IndexStore.WORDS, in);
  }

  /** Each string preceded by {@code mark}: from the mark to the string's end mark. */
  private static IntervalsSource string(String mark) {
    return Intervals.ordered(Intervals.term(mark), Intervals.term(Block.END_MARK));
  }

  /**
   * Phrase {@code p}: its terms at their relative positions (a term followed by a step of two, as
   * between two CJK runs, is stretched by one position so that the next term must follow it).
   */
  private static IntervalsSource phrase(SearchQuery.Phrase p) {
    List<String> terms = p.terms();
    IntervalsSource[] parts = new IntervalsSource[terms.size()];
    for (int i = 0; i < terms.size(); i++) {
      IntervalsSource t = Intervals.term(terms.get(i));
      int step = i + 1 < terms.size() ? p.positions().get(i + 1) - p.positions().get(i) : 1;
      parts[i] = step > 1 ? Intervals.extend(t, 0, step - 1) : t;
    }
    return parts.length == 1 ? parts[0] : Intervals.phrase(parts);
  }

  private static Optional<IntervalsSource> anyTerm(Set<String> terms) {
    if (terms.isEmpty()) {
      return Optional.empty();
    }
    List<IntervalsSource> sources = new ArrayList<>(terms.size());
    for (String t : terms) {
      sources.add(Intervals.term(t));
    }
    return Optional.of(sources.size() == 1 ? sources.getFirst() : Intervals.or(sources));
  }

  /**
   * The words of the index starting with {@code prefix}.
   *
   * @throws InvalidQueryException if there are more than {@link #MAX_EXPANSIONS}
   */
  static Set<String> prefixed(IndexSearcher s, SearchQuery query, String prefix) throws IOException {
    Set<String> out = new TreeSet<>();
    BytesRef p = new BytesRef(prefix);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      Terms terms = leaf.reader().terms(IndexStore.WORDS);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (te.seekCeil(p) == TermsEnum.SeekStatus.END) {
        continue;
      }
      for (BytesRef t = te.term(); t != null && StringHelper.startsWith(t, p); t = te.next()) {
        out.add(t.utf8ToString());
        if (out.size() > MAX_EXPANSIONS) {
          throw new InvalidQueryException(query.text(), "with a key or path filter, the prefix '" + prefix
              + "*' stands for more than " + MAX_EXPANSIONS + " words of the index: give it more letters");
        }
      }
    }
    return out;
  }

  /** The words of the index closest to fuzzy term {@code f} (at most 50, as {@link FuzzyQuery} takes). */
  static Set<String> fuzzy(IndexSearcher s, SearchQuery.Fuzzy f) throws IOException {
    return wordsOf(s.rewrite(new FuzzyQuery(new Term(IndexStore.WORDS, f.term()), f.edits())));
  }

  /** The terms of the words field that {@code q} (rewritten) reads, marks left out. */
  static Set<String> wordsOf(Query q) {
    Set<String> out = new TreeSet<>();
    q.visit(new QueryVisitor() {
      @Override
      public boolean acceptField(String field) {
        return field.equals(IndexStore.WORDS);
      }

      @Override
      public void consumeTerms(Query query, Term... terms) {
        for (Term t : terms) {
          if (!t.text().startsWith(Block.MARK)) {
            out.add(t.text());
          }
        }
      }
    });
    return out;
  }
}
