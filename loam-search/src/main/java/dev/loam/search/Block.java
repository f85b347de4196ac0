package dev.loam.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene block of one Loam document: a child per string, then the parent (the layout is
 * described on {@link IndexStore}). Each string is tokenized once ({@link Tokens#of}); its tokens
 * feed the child's text and the parent's words and prefixes. Stateless.
 */
final class Block {
  /**
   * How many leading code points of a term {@link IndexStore#PREFIX} holds: 2, the prefixes that
   * expand to the most terms (a longer one expands over the words, to some 26 times fewer terms).
   */
  static final int INDEXED_PREFIX = 2;

  /** A child's text: positions for phrases, offsets for snippets; stored beside, not here. */
  private static final FieldType TEXT_TYPE = type(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS, false);
  /**
   * A parent's words: frequencies for scoring, no positions (phrases run on the strings) and no
   * norms: only one Lucene document in three or so is a parent, and norms that sparse cost the
   * writer a scan per term and document when it flushes and merges (about doubling the indexing time).
   */
  private static final FieldType WORDS_TYPE = type(IndexOptions.DOCS_AND_FREQS, true);
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

  /** The block of the document {@code url} with {@code strings}, as of {@code heads} (written as text). */
  static List<Document> of(String url, String heads, List<DocText.Entry> strings) {
    List<Document> block = new ArrayList<>(strings.size() + 1);
    Map<String, int[]> words = new HashMap<>();
    Set<String> prefixes = new LinkedHashSet<>();
    for (DocText.Entry e : strings) {
      List<Tokens.Token> tokens = Tokens.of(e.text());
      for (Tokens.Token t : tokens) {
        if (words.computeIfAbsent(t.term(), k -> new int[1])[0]++ == 0) {
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
      child.add(new Field(IndexStore.TEXT, new TokenList(tokens), TEXT_TYPE));
      block.add(child);
    }
    Document parent = new Document();
    parent.add(new StringField(IndexStore.TYPE, IndexStore.DOC, Field.Store.NO));
    parent.add(new StringField(IndexStore.URL, url, Field.Store.YES));
    parent.add(new BinaryDocValuesField(IndexStore.URL_VALUE, new BytesRef(url)));
    parent.add(new StoredField(IndexStore.HEADS, heads));
    parent.add(new Field(IndexStore.WORDS, new TermList(words.keySet(), words), WORDS_TYPE));
    parent.add(new Field(IndexStore.PREFIX, new TermList(prefixes, Map.of()), PREFIX_TYPE));
    block.add(parent);
    return block;
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

  /** A string's tokens as analysed already, with their positions and offsets. */
  private static final class TokenList extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final List<Tokens.Token> tokens;
    private int next;

    TokenList(List<Tokens.Token> tokens) {
      this.tokens = tokens;
    }

    @Override
    public void reset() {
      next = 0;
    }

    @Override
    public boolean incrementToken() {
      if (next >= tokens.size()) {
        return false;
      }
      clearAttributes();
      Tokens.Token t = tokens.get(next);
      term.setEmpty().append(t.term());
      offset.setOffset(t.start(), t.end());
      increment.setPositionIncrement(next == 0 ? t.position() + 1 : t.position() - tokens.get(next - 1).position());
      next++;
      return true;
    }
  }

  /** Distinct terms, each once with its frequency in {@code counts} (1 if absent there). */
  private static final class TermList extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final TermFrequencyAttribute frequency = addAttribute(TermFrequencyAttribute.class);
    private final Set<String> terms;
    private final Map<String, int[]> counts;
    private java.util.Iterator<String> it = java.util.Collections.emptyIterator();

    TermList(Set<String> terms, Map<String, int[]> counts) {
      this.terms = terms;
      this.counts = counts;
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
      clearAttributes();
      String t = it.next();
      term.setEmpty().append(t);
      int[] c = counts.get(t);
      frequency.setTermFrequency(c == null ? 1 : c[0]);
      return true;
    }
  }
}
