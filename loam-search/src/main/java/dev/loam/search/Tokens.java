package dev.loam.search;

import java.io.IOException;
import java.io.Reader;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The tokens of a string, as the index and the queries see them: runs of letters and digits,
 * case- and accent-folded, with no stemming and no stop words; Chinese, Japanese and Korean text as
 * overlapping pairs of characters.
 *
 * <p>Implementation notes. A code point is a <em>word</em> character if it is a letter or digit
 * (or a combining mark following one), a <em>CJK</em> character if it is a letter of the Han,
 * Hiragana, Katakana or Hangul script, and a separator otherwise. A run of word characters is one
 * token, folded by {@link #fold}: compatibility decomposition (NFKD, so {@code ﬁ} is {@code fi} and
 * full-width {@code Ａ} is {@code a}), combining marks dropped ({@code Café} is {@code cafe}),
 * lower case in the root locale; a run longer than {@link #MAX_WORD} is cut into pieces of that
 * length. A run of CJK characters, which has no spaces between words,
 * becomes its overlapping bigrams ({@code 東京都} is {@code 東京}, {@code 京都}, one position apart),
 * or the character itself when it stands alone; a query analysed the same way is a phrase of
 * bigrams, so {@code 東京} finds {@code 東京都} (as Lucene's {@code CJKBigramFilter} does; written
 * here so that the rule for both kinds of run lives in one place). CJK text is normalised (NFKC)
 * but not folded: dropping marks would turn Japanese voiced kana into unvoiced ones. Cost: linear
 * in the string. Stateless and thread-safe.
 */
final class Tokens {
  /**
   * The longest word kept whole, in UTF-16 units: folding expands a character to at most 18
   * (NFKD), so a piece of a longer word stays far below Lucene's bound on a term.
   */
  static final int MAX_WORD = 128;

  private Tokens() {}

  /** One token: its folded text, its position (0, 1, 2 …, see {@link Builder}) and the UTF-16 range it came from. */
  record Token(String term, int position, int start, int end) {}

  /** The Lucene analyzer applying these rules to every field it is given. */
  static Analyzer analyzer() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        return new TokenStreamComponents(new LoamTokenizer());
      }
    };
  }

  /** The tokens of {@code text}, in order. */
  static List<Token> of(String text) {
    return of(text, ALL);
  }

  /**
   * Which words of a text a caller needs the terms of: given the text and a word's bounds, false
   * when its term cannot matter (the token keeps its place and offsets, its term is {@link
   * #SKIPPED}). Saves folding, and the strings it makes, for words nothing looks for.
   */
  @FunctionalInterface
  interface Wanted {
    boolean test(String text, int start, int end);
  }

  /** Every word's term. */
  static final Wanted ALL = (text, start, end) -> true;

  /** The term of a token whose word {@link Wanted} left out: no token's term is empty. */
  static final String SKIPPED = "";

  /**
   * The tokens of {@code text}, in order, with the terms of the words {@code wanted} names (of
   * every CJK run, always).
   */
  static List<Token> of(String text, Wanted wanted) {
    Builder out = new Builder();
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      Kind kind = kind(cp, false);
      if (kind == Kind.SEPARATOR) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      int end = i;
      while (end < n) {
        int c = text.codePointAt(end);
        if (kind(c, end > start) != kind) {
          break;
        }
        end += Character.charCount(c);
      }
      if (kind == Kind.WORD) {
        word(text, start, end, wanted, out);
      } else {
        cjk(text, start, end, out);
      }
      i = end;
    }
    return out.tokens;
  }

  /**
   * The tokens of the word {@code text[start, end)}: the word folded, or, for a word longer than
   * {@link #MAX_WORD} characters, its consecutive pieces of at most that many (never splitting a
   * surrogate pair), each folded: Lucene refuses a term over 32,766 bytes, and a word that long
   * (a key, an encoded blob) is still found by itself, analysed the same way.
   */
  private static void word(String text, int start, int end, Wanted wanted, Builder out) {
    for (int from = start; from < end; ) {
      int to = Math.min(end, from + MAX_WORD);
      if (to < end && Character.isLowSurrogate(text.charAt(to))) {
        to--;
      }
      out.add(wanted.test(text, from, to) ? fold(text.substring(from, to)) : SKIPPED, from, to, false, false);
      from = to;
    }
  }

  /**
   * Collects tokens and numbers their positions: one apart, except that a CJK run following
   * another CJK run starts two apart, so that no phrase of bigrams spans the gap between two runs
   * ({@code 서울 울시} does not hold the phrase {@code 서울시}).
   */
  private static final class Builder {
    final List<Token> tokens = new ArrayList<>();
    private int position = -1;
    private boolean lastCjk;

    /** Adds a token; {@code cjkRunStart} for the first of a CJK run, {@code cjk} for any of one. */
    void add(String term, int start, int end, boolean cjk, boolean cjkRunStart) {
      position += cjkRunStart && lastCjk ? 2 : 1;
      lastCjk = cjk;
      tokens.add(new Token(term, position, start, end));
    }
  }

  /**
   * Whether {@code pattern} (tokens of a query) occurs in {@code tokens} starting at index {@code
   * i}: the same terms at the same distances.
   */
  static boolean matchesAt(List<Token> tokens, int i, List<Token> pattern) {
    if (i + pattern.size() > tokens.size()) {
      return false;
    }
    int base = tokens.get(i).position() - pattern.getFirst().position();
    for (int k = 0; k < pattern.size(); k++) {
      Token t = tokens.get(i + k);
      Token p = pattern.get(k);
      if (!t.term().equals(p.term()) || t.position() - base != p.position()) {
        return false;
      }
    }
    return true;
  }

  /** The folded terms of {@code text}, in order. */
  static List<String> terms(String text) {
    List<Token> tokens = of(text);
    List<String> terms = new ArrayList<>(tokens.size());
    for (Token t : tokens) {
      terms.add(t.term());
    }
    return terms;
  }

  /** A word folded: NFKD, combining marks dropped, lower case. */
  static String fold(String word) {
    if (isAscii(word)) { // NFKD leaves ASCII alone and it holds no marks: only the case to fold
      return word.toLowerCase(Locale.ROOT);
    }
    String d = Normalizer.normalize(word, Normalizer.Form.NFKD);
    StringBuilder b = new StringBuilder(d.length());
    for (int i = 0; i < d.length(); ) {
      int cp = d.codePointAt(i);
      if (!isMark(cp)) {
        b.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static void cjk(String text, int start, int end, Builder out) {
    int second = start + Character.charCount(text.codePointAt(start));
    if (second >= end) {
      out.add(Normalizer.normalize(text.substring(start, end), Normalizer.Form.NFKC), start, end, true, true);
      return;
    }
    int a = start;
    while (a < end) {
      int b = a + Character.charCount(text.codePointAt(a));
      if (b >= end) {
        break;
      }
      int c = b + Character.charCount(text.codePointAt(b));
      out.add(Normalizer.normalize(text.substring(a, c), Normalizer.Form.NFKC), a, c, true, a == start);
      a = b;
    }
  }

  private enum Kind {
    WORD,
    CJK,
    SEPARATOR
  }

  private static Kind kind(int cp, boolean inRun) {
    if (cp < 0x80) { // the same answer as below, without the Unicode tables
      return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' ? Kind.WORD : Kind.SEPARATOR;
    }
    if (Character.isLetter(cp)) {
      Character.UnicodeScript s = Character.UnicodeScript.of(cp);
      return switch (s) {
        case HAN, HIRAGANA, KATAKANA, HANGUL -> Kind.CJK;
        default -> Kind.WORD;
      };
    }
    int type = Character.getType(cp);
    if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER) {
      return Kind.WORD;
    }
    return inRun && isMark(cp) ? Kind.WORD : Kind.SEPARATOR;
  }

  /**
   * Whether {@code cp} always separates runs: neither a letter, a digit nor a combining mark (a
   * mark separates only where no run precedes it, so this errs towards joining).
   */
  static boolean isSeparator(int cp) {
    return kind(cp, true) == Kind.SEPARATOR;
  }

  private static boolean isMark(int cp) {
    int t = Character.getType(cp);
    return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
  }

  /** {@link #of} as a Lucene tokenizer; reads the whole field (a document's string) first. */
  private static final class LoamTokenizer extends Tokenizer {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private List<Token> tokens = List.of();
    private int next;
    private int length;

    @Override
    public void reset() throws IOException {
      super.reset();
      tokens = of(readAll(input));
      next = 0;
    }

    private String readAll(Reader r) throws IOException {
      StringBuilder b = new StringBuilder();
      char[] buf = new char[1024];
      for (int n; (n = r.read(buf)) > 0; ) {
        b.append(buf, 0, n);
      }
      length = b.length();
      return b.toString();
    }

    @Override
    public boolean incrementToken() {
      if (next >= tokens.size()) {
        return false;
      }
      clearAttributes();
      Token t = tokens.get(next);
      term.setEmpty().append(t.term());
      offset.setOffset(correctOffset(t.start()), correctOffset(t.end()));
      increment.setPositionIncrement(next == 0 ? t.position() + 1 : t.position() - tokens.get(next - 1).position());
      next++;
      return true;
    }

    @Override
    public void end() throws IOException {
      super.end();
      int end = correctOffset(length);
      offset.setOffset(end, end);
    }
  }
}
