package dev.loam.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.util.BitSet;

/**
 * The documents (parents) one of whose strings (children) matches a phrase: the parents matching
 * {@code words} (every term of the phrase, on the parent's words), kept to those for which some
 * child of theirs matches {@code strings} (the phrase on the strings' text). Scored by {@code
 * words}, so the search can skip whole blocks of parents that cannot reach the top hits (Lucene's
 * block-max scoring) and checks the strings of the others only; a block join would first find
 * every string holding the phrase, however many, to score its parent. Immutable.
 */
final class PhraseInStrings extends Query {
  private final Query words;
  private final Query strings;
  private final BitSetProducer parents;

  PhraseInStrings(Query words, Query strings, BitSetProducer parents) {
    this.words = Objects.requireNonNull(words);
    this.strings = Objects.requireNonNull(strings);
    this.parents = Objects.requireNonNull(parents);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    Weight onParents = searcher.createWeight(searcher.rewrite(words), scoreMode, boost);
    Weight onStrings = searcher.createWeight(searcher.rewrite(strings), ScoreMode.COMPLETE_NO_SCORES, 1f);
    return new Weight(this) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext leaf) throws IOException {
        ScorerSupplier candidates = onParents.scorerSupplier(leaf);
        ScorerSupplier phrases = onStrings.scorerSupplier(leaf);
        BitSet parentBits = parents.getBitSet(leaf);
        if (candidates == null || phrases == null || parentBits == null) {
          return null;
        }
        return new ScorerSupplier() {
          @Override
          public Scorer get(long leadCost) throws IOException {
            return new InStrings(candidates.get(leadCost), phrases.get(Long.MAX_VALUE), parentBits);
          }

          @Override
          public long cost() {
            return candidates.cost();
          }
        };
      }

      @Override
      public Explanation explain(LeafReaderContext leaf, int doc) throws IOException {
        ScorerSupplier supplier = scorerSupplier(leaf);
        Scorer s = supplier == null ? null : supplier.get(Long.MAX_VALUE);
        if (s != null && s.iterator().advance(doc) == doc) {
          return Explanation.match(s.score(), "a string holds the phrase; scored by the document's words",
              onParents.explain(leaf, doc));
        }
        return Explanation.noMatch("no string of the document holds the phrase");
      }

      @Override
      public boolean isCacheable(LeafReaderContext leaf) {
        return false;
      }
    };
  }

  /** The candidates' scorer, its documents kept to those with a string matching the phrase. */
  private static final class InStrings extends Scorer {
    private final Scorer candidates;
    private final TwoPhaseIterator check;

    InStrings(Scorer candidates, Scorer phrases, BitSet parentBits) {
      this.candidates = candidates;
      TwoPhaseIterator own = candidates.twoPhaseIterator();
      DocIdSetIterator approximation = own == null ? candidates.iterator() : own.approximation();
      TwoPhaseIterator phrase = phrases.twoPhaseIterator();
      DocIdSetIterator strings = phrase == null ? phrases.iterator() : phrase.approximation();
      this.check = new TwoPhaseIterator(approximation) {
        @Override
        public boolean matches() throws IOException {
          if (own != null && !own.matches()) {
            return false;
          }
          int parent = approximation.docID();
          int first = parent == 0 ? 0 : parentBits.prevSetBit(parent - 1) + 1;
          // parents come in order, so the strings' iterator only moves forward
          for (int s = strings.docID() < first ? strings.advance(first) : strings.docID(); s < parent; s = strings.nextDoc()) {
            if (phrase == null || phrase.matches()) {
              return true;
            }
          }
          return false;
        }

        @Override
        public float matchCost() {
          return (own == null ? 0 : own.matchCost()) + (phrase == null ? 1 : phrase.matchCost()) * 4;
        }
      };
    }

    @Override
    public int docID() {
      return candidates.docID();
    }

    @Override
    public DocIdSetIterator iterator() {
      return TwoPhaseIterator.asDocIdSetIterator(check);
    }

    @Override
    public TwoPhaseIterator twoPhaseIterator() {
      return check;
    }

    @Override
    public float score() throws IOException {
      return candidates.score();
    }

    @Override
    public float getMaxScore(int upTo) throws IOException {
      return candidates.getMaxScore(upTo);
    }

    @Override
    public int advanceShallow(int target) throws IOException {
      return candidates.advanceShallow(target);
    }

    @Override
    public void setMinCompetitiveScore(float minScore) throws IOException {
      candidates.setMinCompetitiveScore(minScore);
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    QueryVisitor v = visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this);
    words.visit(v);
    strings.visit(v);
  }

  @Override
  public String toString(String field) {
    return "PhraseInStrings(" + words.toString(field) + ", " + strings.toString(field) + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && words.equals(((PhraseInStrings) other).words) && strings.equals(((PhraseInStrings) other).strings)
        && parents.equals(((PhraseInStrings) other).parents);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), words, strings, parents);
  }
}
