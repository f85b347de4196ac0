package dev.loam.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene block of one Loam document: a child per string, then the parent (the layout is
 * described on {@link IndexStore}). Each string is tokenized once ({@link Tokens#of}); its tokens
 * feed the child's text and the parent's words and prefixes. The parent's words are every
 * string's tokens at their positions, the strings one after the other with {@link #GAP} positions
 * between two, so that a phrase on them holds exactly where one string holds it. Stateless.
 */
final class Block {
  /**
   * How many leading code points of a term {@link IndexStore#PREFIX} holds: 2, the prefixes that
   * expand to the most terms (a longer one expands over the words, to some 26 times fewer terms).
   */
  static final int INDEXED_PREFIX = 2;

  /**
   * A child's text: positions for phrases; stored beside. No offsets: a snippet re-analyses its
   * string (one per hit shown), which costs less than writing the offsets of every token indexed.
   */
  private static final FieldType TEXT_TYPE = type(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS, false);
  /**
   * A parent's words: positions for phrases ({@link #GAP} apart between strings), no norms: only
   * one Lucene document in three or so is a parent, and norms that sparse cost the writer a scan
   * per term and document when it flushes and merges (about doubling the indexing time).
   */
  private static final FieldType WORDS_TYPE = type(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS, true);
  /**
   * How many positions the parent's words leave empty between two strings. Any gap of at least
   * {@link #MIN_GAP} keeps every phrase within one string; a wide one also keeps apart the strings
   * of a sloppy phrase, should one ever be asked.
   */
  static final int GAP = 10_000;
  /**
   * The narrowest gap that keeps a phrase (slop 0) within one string: the terms of a phrase are
   * at most 2 positions apart (1, or 2 between two CJK runs, see {@link Tokens}), while the last
   * term of a string and the first of the next are {@code gap + 1} apart. A document whose strings
   * would overflow Lucene's positions with {@link #GAP} gets this one.
   */
  static final int MIN_GAP = 2;
  /**
   * The longest JSON pointer whose string is indexed, in UTF-16 units: a path is a doc value and,
   * with its prefixes and its key, a term, which Lucene bounds at 32,766 bytes (three per unit
   * at most in UTF-8). A string under a longer pointer (keys of thousands of characters) is left
   * out of the index rather than have Lucene refuse the whole document.
   */
  static final int MAX_PATH = 8_000;
  /**
   * A parent's pairs of common words ({@link CommonWords}): at the first word's position among the
   * words, for phrases of several pairs; no norms, as the words.
   */
  private static final FieldType PAIRS_TYPE = WORDS_TYPE;
  /** A parent's prefixes: whether a term with that prefix is there, nothing more. */
  private static final FieldType PREFIX_TYPE = type(IndexOptions.DOCS, true);

  private Block() {}

  private static FieldType type(IndexOptions options, boolean omitNorms) {
    FieldType t = new FieldType();
    t.setTokenized(true);
    t.setIndexOptions(options);
    t.setOmitNorms(omitNorms);
    t.freeze();
    return t;
  }

  /**
   * Whether {@code prefix} (a folded term) is one {@link IndexStore#PREFIX} holds: then the
   * documents with a term starting with it are exactly those holding it there.
   */
  static boolean indexedPrefix(String prefix) {
    return prefix.codePointCount(0, prefix.length()) == INDEXED_PREFIX;
  }

  /**
   * The block of the document {@code url} with {@code strings}, as of {@code heads} (written as
   * text), with the pairs of {@code common} words.
   */
  static List<Document> of(String url, String heads, List<DocText.Entry> strings, CommonWords common) {
    List<Document> block = new ArrayList<>(strings.size() + 1);
    Set<String> words = HashSet.newHashSet(256); // a note of 1.5 KB holds some 150 distinct words: no rehashing
    Set<String> prefixes = new LinkedHashSet<>();
    List<List<Tokens.Token>> texts = new ArrayList<>(strings.size());
    for (DocText.Entry e : strings) {
      if (e.path().length() > MAX_PATH) {
        continue;
      }
      List<Tokens.Token> tokens = Tokens.of(e.text());
      if (!tokens.isEmpty()) {
        texts.add(tokens);
      }
      for (Tokens.Token t : tokens) {
        if (words.add(t.term())) {
          prefix(t.term()).ifPresent(prefixes::add);
        }
      }
      Document child = new Document();
      child.add(new StringField(IndexStore.URL, url, Field.Store.NO));
      child.add(new BinaryDocValuesField(IndexStore.PATH, new BytesRef(e.path())));
      for (int slash = e.path().indexOf('/', 1); ; slash = e.path().indexOf('/', slash + 1)) {
        child.add(new StringField(IndexStore.UNDER, slash < 0 ? e.path() : e.path().substring(0, slash), Field.Store.NO));
        if (slash < 0) {
          break;
        }
      }
      child.add(new StringField(IndexStore.KEY, e.key(), Field.Store.NO));
      child.add(new StoredField(IndexStore.TEXT, e.text()));
      child.add(new Field(IndexStore.TEXT, new TokenList(List.of(tokens), 0), TEXT_TYPE));
      block.add(child);
    }
    Document parent = new Document();
    parent.add(new StringField(IndexStore.TYPE, IndexStore.DOC, Field.Store.NO));
    parent.add(new StringField(IndexStore.URL, url, Field.Store.NO));
    parent.add(new BinaryDocValuesField(IndexStore.URL_VALUE, new BytesRef(url)));
    parent.add(new BinaryDocValuesField(IndexStore.HEADS, new BytesRef(heads)));
    int gap = gap(texts);
    parent.add(new Field(IndexStore.WORDS, new TokenList(texts, gap), WORDS_TYPE));
    if (!common.words().isEmpty()) {
      parent.add(new Field(IndexStore.PAIRS, pairs(texts, gap, common), PAIRS_TYPE));
    }
    parent.add(new Field(IndexStore.PREFIX, new TermList(prefixes), PREFIX_TYPE));
    block.add(parent);
    return block;
  }

  /**
   * The gap between the strings {@code texts} on the parent's words: {@link #GAP}, or {@link
   * #MIN_GAP} where that would take the last position past Lucene's bound ({@link
   * IndexWriter#MAX_POSITION}).
   *
   * @throws IllegalArgumentException if even that one would (over two thousand million tokens)
   */
  static int gap(List<List<Tokens.Token>> texts) {
    long span = 0;
    for (List<Tokens.Token> t : texts) {
      span += t.getLast().position() + 1L;
    }
    long gaps = Math.max(0, texts.size() - 1);
    return gap(span, gaps);
  }

  /** {@link #gap(List)} for strings spanning {@code span} positions in all, with {@code gaps} gaps between them. */
  static int gap(long span, long gaps) {
    for (int g : new int[] {GAP, MIN_GAP}) {
      if (span + gaps * g <= IndexWriter.MAX_POSITION) {
        return g;
      }
    }
    throw new IllegalArgumentException("a document holds too many words to index (" + span + " positions, Lucene's bound is "
        + IndexWriter.MAX_POSITION + ")");
  }

  /**
   * The pairs of {@code common} words one position apart in {@code texts}, each at its first
   * word's position on the parent's words ({@code gap} positions between two strings, as {@link
   * TokenList} places them).
   */
  private static PairList pairs(List<List<Tokens.Token>> texts, int gap, CommonWords common) {
    List<String> terms = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    int offset = 0;
    for (List<Tokens.Token> tokens : texts) {
      Tokens.Token previous = null;
      boolean previousCommon = false;
      for (Tokens.Token t : tokens) {
        boolean isCommon = common.words().contains(t.term());
        if (previousCommon && isCommon && t.position() == previous.position() + 1) {
          terms.add(CommonWords.pairTerm(previous.term(), t.term()));
          positions.add(offset + previous.position());
        }
        previous = t;
        previousCommon = isCommon;
      }
      offset += tokens.getLast().position() + 1 + gap;
    }
    return new PairList(terms, positions);
  }

  /** The first {@link #INDEXED_PREFIX} code points of {@code term}, if it has that many. */
  private static java.util.Optional<String> prefix(String term) {
    int end = 0;
    for (int n = 0; n < INDEXED_PREFIX; n++) {
      if (end >= term.length()) {
        return java.util.Optional.empty();
      }
      end += Character.charCount(term.codePointAt(end));
    }
    return java.util.Optional.of(term.substring(0, end));
  }

  /**
   * Strings' tokens as analysed already, one string after the other with {@code gap} empty
   * positions between two, at their positions.
   */
  private static final class TokenList extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final List<List<Tokens.Token>> texts;
    private final int gap;
    private int text;
    private int next;

    TokenList(List<List<Tokens.Token>> texts, int gap) {
      this.texts = texts;
      this.gap = gap;
    }

    @Override
    public void reset() {
      text = 0;
      next = 0;
    }

    @Override
    public boolean incrementToken() {
      while (text < texts.size() && next >= texts.get(text).size()) {
        text++;
        next = 0;
      }
      if (text >= texts.size()) {
        return false;
      }
      // no clearAttributes(): every token sets both attributes the stream has, and the indexer's
      // own (offsets, frequency) keep their defaults; clearing them all cost 3 % of indexing
      List<Tokens.Token> tokens = texts.get(text);
      Tokens.Token t = tokens.get(next);
      term.setEmpty().append(t.term());
      int step = next == 0 ? t.position() + 1 + (text == 0 ? 0 : gap) : t.position() - tokens.get(next - 1).position();
      increment.setPositionIncrement(step);
      next++;
      return true;
    }
  }

  /** Terms at the given positions (not decreasing). */
  private static final class PairList extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final List<String> terms;
    private final List<Integer> positions;
    private int next;

    PairList(List<String> terms, List<Integer> positions) {
      this.terms = terms;
      this.positions = positions;
    }

    @Override
    public void reset() {
      next = 0;
    }

    @Override
    public boolean incrementToken() {
      if (next >= terms.size()) {
        return false;
      }
      term.setEmpty().append(terms.get(next)); // every attribute set or default, as in TokenList

      increment.setPositionIncrement(positions.get(next) - (next == 0 ? -1 : positions.get(next - 1)));
      next++;
      return true;
    }
  }

  /** Distinct terms, each once. */
  private static final class TermList extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final Set<String> terms;
    private java.util.Iterator<String> it = java.util.Collections.emptyIterator();

    TermList(Set<String> terms) {
      this.terms = terms;
    }

    @Override
    public void reset() {
      it = terms.iterator();
    }

    @Override
    public boolean incrementToken() {
      if (!it.hasNext()) {
        return false;
      }
      String t = it.next(); // the term is the only attribute that varies, as in TokenList
      term.setEmpty().append(t);
      return true;
    }
  }
}
