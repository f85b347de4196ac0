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
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene block of one Loam document: a child per string, then the parent (the layout is
 * described on {@link IndexStore}). Each string is tokenized once ({@link Tokens#of}); its tokens
 * feed the parent's words, pairs and prefixes. The parent's words are every string's tokens at
 * their positions, the strings one after the other with {@link #GAP} positions between two, so
 * that a phrase on them holds exactly where one string holds it; in the gap before a string stand
 * its marks (its key, {@link #KEY_MARK}, and the pointers it is under, {@link #UNDER_MARK}), right
 * after it {@link #END_MARK}, so that a key or path filter is an interval on the words from a mark
 * to the next end. A child holds no terms of its own: its string's first and last positions on
 * the parent ({@link IndexStore#SPAN}) name it as a hit's best string. Stateless.
 */
final class Block {
  /**
   * How many leading code points of a term {@link IndexStore#PREFIX} holds: 2, the prefixes that
   * expand to the most terms (a longer one expands over the words, to some 26 times fewer terms).
   */
  static final int INDEXED_PREFIX = 2;

  /**
   * What every mark on the parent's words starts with: three characters no token holds (a token is
   * letters and digits), so that no query term, even two edits away, is a mark.
   */
  static final String MARK = "\u0001\u0001\u0001";
  /** Before a string, its key: {@code MARK k title}. */
  static final String KEY_MARK = MARK + "k";
  /** Before a string, each pointer it is under ({@link #underPaths}): {@code MARK u /tasks}. */
  static final String UNDER_MARK = MARK + "u";
  /** Right after a string's last token. */
  static final String END_MARK = MARK + "e";

  /**
   * A parent's words: positions for phrases ({@link #GAP} apart between strings), no norms: only
   * one Lucene document in three or so is a parent, and norms that sparse cost the writer a scan
   * per term and document when it flushes and merges (about doubling the indexing time).
   */
  private static final FieldType WORDS_TYPE = type(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS, true);
  /**
   * How many positions the parent's words leave between two strings (the first string's end mark,
   * the second's marks, nothing else). Any gap of at least {@link #MIN_GAP} keeps every phrase within
   * one string; a wide one also keeps apart the strings of a sloppy phrase, should one ever be asked.
   */
  static final int GAP = 10_000;
  /**
   * The narrowest gap that keeps a phrase (slop 0) within one string and holds the marks (the end
   * mark, then the next string's marks): the terms of a phrase are at most 2 positions apart (1, or
   * 2 between two CJK runs, see {@link Tokens}), while the last term of a string and the first of
   * the next are {@code gap + 1} apart. A document whose strings
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
    List<DocText.Entry> kept = new ArrayList<>(strings.size());
    List<List<Tokens.Token>> tokensOf = new ArrayList<>(strings.size());
    List<List<Tokens.Token>> texts = new ArrayList<>(strings.size());
    Set<String> words = HashSet.newHashSet(256); // a note of 1.5 KB holds some 150 distinct words: no rehashing
    Set<String> prefixes = new LinkedHashSet<>();
    for (DocText.Entry e : strings) {
      if (e.path().length() > MAX_PATH) {
        continue;
      }
      List<Tokens.Token> tokens = Tokens.of(e.text());
      kept.add(e);
      tokensOf.add(tokens);
      if (!tokens.isEmpty()) {
        texts.add(tokens);
      }
      for (Tokens.Token t : tokens) {
        if (words.add(t.term())) {
          prefix(t.term()).ifPresent(prefixes::add);
        }
      }
    }
    int gap = gap(texts);
    Positioned onParent = new Positioned(words.size() * 2 + 8 * kept.size());
    Positioned pairs = new Positioned(16);
    List<Document> block = new ArrayList<>(kept.size() + 1);
    int offset = 1; // position 0 holds the first string's marks
    for (int i = 0; i < kept.size(); i++) {
      DocText.Entry e = kept.get(i);
      List<Tokens.Token> tokens = tokensOf.get(i);
      Document child = new Document();
      child.add(new StringField(IndexStore.URL, url, Field.Store.NO));
      child.add(new BinaryDocValuesField(IndexStore.PATH, new BytesRef(e.path())));
      child.add(new StoredField(IndexStore.TEXT, e.text()));
      if (!tokens.isEmpty()) {
        int first = offset + tokens.getFirst().position();
        int last = offset + tokens.getLast().position();
        child.add(new NumericDocValuesField(IndexStore.SPAN, span(first, last)));
        onParent.add(KEY_MARK + e.key(), offset - 1);
        for (String under : underPaths(e.path())) {
          onParent.add(UNDER_MARK + under, offset - 1);
        }
        Tokens.Token previous = null;
        boolean previousCommon = false;
        for (Tokens.Token t : tokens) {
          onParent.add(t.term(), offset + t.position());
          boolean isCommon = common.words().contains(t.term());
          if (previousCommon && isCommon && t.position() == previous.position() + 1) {
            pairs.add(CommonWords.pairTerm(previous.term(), t.term()), offset + previous.position());
          }
          previous = t;
          previousCommon = isCommon;
        }
        onParent.add(END_MARK, last + 1);
        offset = last + 1 + gap;
      }
      block.add(child);
    }
    Document parent = new Document();
    parent.add(new StringField(IndexStore.TYPE, IndexStore.DOC, Field.Store.NO));
    parent.add(new StringField(IndexStore.URL, url, Field.Store.NO));
    parent.add(new BinaryDocValuesField(IndexStore.URL_VALUE, new BytesRef(url)));
    parent.add(new BinaryDocValuesField(IndexStore.HEADS, new BytesRef(heads)));
    parent.add(new Field(IndexStore.WORDS, onParent, WORDS_TYPE));
    if (!common.words().isEmpty()) {
      parent.add(new Field(IndexStore.PAIRS, pairs, PAIRS_TYPE));
    }
    parent.add(new Field(IndexStore.PREFIX, new TermList(prefixes), PREFIX_TYPE));
    block.add(parent);
    return block;
  }

  /** A string's first and last positions on the parent's words as one doc value ({@link #first}, {@link #last}). */
  static long span(int first, int last) {
    return ((long) first << 32) | (last & 0xFFFF_FFFFL);
  }

  /** The first position of {@code span} ({@link #span}). */
  static int first(long span) {
    return (int) (span >>> 32);
  }

  /** The last position of {@code span} ({@link #span}). */
  static int last(long span) {
    return (int) span;
  }

  /**
   * The pointers a string at {@code path} is under, for {@code path:} filters: each of its
   * prefixes ending before a {@code /}, and itself ({@code /tasks}, {@code /tasks/3},
   * {@code /tasks/3/note}).
   */
  static List<String> underPaths(String path) {
    List<String> out = new ArrayList<>(4);
    for (int slash = path.indexOf('/', 1); ; slash = path.indexOf('/', slash + 1)) {
      out.add(slash < 0 ? path : path.substring(0, slash));
      if (slash < 0) {
        return out;
      }
    }
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

  /**
   * {@link #gap(List)} for strings spanning {@code span} positions in all, with {@code gaps} gaps
   * between them (and the first string's marks before them all, the last one's end after).
   */
  static int gap(long span, long gaps) {
    for (int g : new int[] {GAP, MIN_GAP}) {
      if (span + 2 + gaps * g <= IndexWriter.MAX_POSITION) {
        return g;
      }
    }
    throw new IllegalArgumentException("a document holds too many words to index (" + span + " positions, Lucene's bound is "
        + IndexWriter.MAX_POSITION + ")");
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

  /** Terms at positions that never decrease, added in that order; filled, then indexed once. */
  private static final class Positioned extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final List<String> terms;
    private int[] positions;
    private int next;

    Positioned(int capacity) {
      terms = new ArrayList<>(capacity);
      positions = new int[Math.max(4, capacity)];
    }

    void add(String t, int position) {
      if (terms.size() == positions.length) {
        positions = java.util.Arrays.copyOf(positions, positions.length * 2);
      }
      positions[terms.size()] = position;
      terms.add(t);
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
      // no clearAttributes(): every token sets both attributes the stream has, and the indexer's
      // own (offsets, frequency) keep their defaults; clearing them all cost 3 % of indexing
      term.setEmpty().append(terms.get(next));
      increment.setPositionIncrement(positions[next] - (next == 0 ? -1 : positions[next - 1]));
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
