package dev.loam.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A snippet: a short stretch of one string around the first thing a query matched in it,
 * HTML-escaped, every match inside it in bold ({@code <b>…</b>}), with {@code "… "} before and
 * {@code " …"} after where the string goes on. The string is analysed again ({@link Tokens#of}),
 * so a match is exactly what the index matched, and the stretch is cut between words; only the
 * words that may be marked are folded into terms ({@link Marks#wanted}).
 *
 * <p>Implementation notes. One pass over the string's tokens marks spans, left to right without
 * overlap: the longest phrase starting at a token, else the token alone if it is one of the words. The stretch then holds the first span with {@code context}
 * characters on each side, moved inward at either end of the string so that the stretch keeps its
 * length, and widened to whole words. Cost: linear in the string. Stateless.
 */
final class Snippet {
  private Snippet() {}

  /**
   * What a snippet marks: tokens equal to one of {@code words}, and runs of tokens holding one of
   * {@code phrases} (each a query's tokens: terms at relative positions, see {@link
   * Tokens#matchesAt}).
   */
  static final class Marks {
    private final Set<String> words;
    private final List<List<Tokens.Token>> phrases;
    /** The lengths of the terms marked, alone or in phrases. */
    private final java.util.BitSet lengths = new java.util.BitSet();
    /** Their first characters. */
    private final String firsts;

    Marks(Set<String> words, List<List<Tokens.Token>> phrases) {
      this.words = Set.copyOf(words);
      this.phrases = phrases.stream().sorted(Comparator.comparingInt((List<Tokens.Token> p) -> p.size()).reversed()).toList();
      StringBuilder f = new StringBuilder();
      for (String t : this.words) {
        lengths.set(t.length());
        f.append(t.charAt(0));
      }
      for (List<Tokens.Token> p : this.phrases) {
        for (Tokens.Token t : p) {
          lengths.set(t.term().length());
          f.append(t.term().charAt(0));
        }
      }
      firsts = f.toString();
    }

    /** The marks of one phrase (or word) alone. */
    static Marks of(List<Tokens.Token> phrase) {
      return phrase.size() == 1
          ? new Marks(Set.of(phrase.getFirst().term()), List.of())
          : new Marks(Set.of(), List.of(phrase));
    }

    /**
     * Whether the word {@code text[start, end)} may be marked ({@link Tokens.Wanted}): a word
     * of ASCII letters and digits folds to itself in lower case, so one of a length or a first
     * letter no mark has cannot be one; any other word may.
     */
    boolean wanted(String text, int start, int end) {
      for (int i = start; i < end; i++) {
        if (text.charAt(i) >= 0x80) {
          return true;
        }
      }
      return lengths.get(end - start) && firsts.indexOf(Character.toLowerCase(text.charAt(start))) >= 0;
    }

    /** How many tokens the mark at {@code i} of {@code tokens} covers: 0 if none starts there. */
    int at(List<Tokens.Token> tokens, int i) {
      for (List<Tokens.Token> p : phrases) {
        if (Tokens.matchesAt(tokens, i, p)) {
          return p.size();
        }
      }
      return words.contains(tokens.get(i).term()) ? 1 : 0;
    }
  }

  /**
   * The snippet of {@code text} for {@code marks}, with about {@code context} characters on each
   * side of the first mark; empty if nothing in {@code text} is marked.
   */
  static String of(String text, Marks marks, int context) {
    List<Tokens.Token> tokens = Tokens.of(text, marks::wanted);
    List<int[]> spans = new ArrayList<>(); // [first token, last token] of each mark, in order
    for (int i = 0; i < tokens.size(); ) {
      int n = marks.at(tokens, i);
      if (n > 0) {
        spans.add(new int[] {i, i + n - 1});
        i += n;
      } else {
        i++;
      }
    }
    if (spans.isEmpty()) {
      return "";
    }
    int start = tokens.get(spans.getFirst()[0]).start();
    int end = tokens.get(spans.getFirst()[1]).end();
    int from = Math.max(0, start - context - Math.max(0, end + context - text.length()));
    int to = Math.min(text.length(), end + context + Math.max(0, context - start));
    from = wordStartFrom(tokens, from, start);
    to = wordEndBefore(tokens, to, end, text.length());
    StringBuilder b = new StringBuilder(to - from + 32);
    b.append(from > 0 ? "… " : "");
    int at = from;
    for (int[] span : spans) {
      int s = tokens.get(span[0]).start();
      int e = tokens.get(span[1]).end();
      if (s < from) {
        continue;
      }
      if (e > to) {
        break;
      }
      escape(b, text, at, s).append("<b>");
      escape(b, text, s, e).append("</b>");
      at = e;
    }
    escape(b, text, at, to);
    return b.append(to < text.length() ? " …" : "").toString();
  }

  /** Where the first token at or after {@code from} starts (a cut never halves a word), at most {@code start}. */
  private static int wordStartFrom(List<Tokens.Token> tokens, int from, int start) {
    if (from == 0) {
      return 0;
    }
    for (Tokens.Token t : tokens) {
      if (t.start() >= from) {
        return Math.min(t.start(), start);
      }
    }
    return start;
  }

  /**
   * Where the last token ending at or before {@code to} ends, at least {@code end}; {@code to}
   * itself at the end of the string ({@code length}).
   */
  private static int wordEndBefore(List<Tokens.Token> tokens, int to, int end, int length) {
    if (to == length) {
      return to;
    }
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Tokens.Token t = tokens.get(i);
      if (t.end() <= to) {
        return Math.max(t.end(), end);
      }
    }
    return end;
  }

  /** Appends {@code text[from, to)} to {@code b} with {@code & < > "} escaped for HTML. */
  private static StringBuilder escape(StringBuilder b, String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b;
  }
}
