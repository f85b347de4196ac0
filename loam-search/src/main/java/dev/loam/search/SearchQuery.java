package dev.loam.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed search query: the syntax tree of what {@link SearchIndex#search} accepts.
 *
 * <p>The language, informally:
 * <pre>
 * query   := or
 * or      := and ("OR" and)*
 * and     := unary+            (words side by side must all match; "AND" may be written)
 * unary   := ("NOT" | "-") unary | "(" or ")" | atom
 * atom    := [key ":"] (word | word "*" | word "~" [1|2] | '"' phrase '"')  |  "path:" pointer
 * </pre>
 * A word is analysed as the index analyses text ({@link Tokens}); a word that gives several tokens
 * ({@code e-mail}, {@code 東京都}) is a phrase of them. {@code key:} keeps the atom to strings held
 * under that key name ({@code title:loam}); {@code path:/tasks} keeps the whole query to strings
 * whose JSON pointer is {@code /tasks} or starts with {@code /tasks/}, and may appear only at the
 * top level (never under {@code OR}, {@code NOT} or brackets). Limits: a prefix needs two
 * characters, a fuzzy term three, and a wildcard anywhere but at the end of a word is refused.
 * Immutable.
 */
final class SearchQuery {
  /** The fewest characters a prefix query may have. */
  static final int MIN_PREFIX = 2;
  /** The fewest characters a fuzzy term may have. */
  static final int MIN_FUZZY = 3;

  /** A node of the tree. */
  sealed interface Node {}

  /** Every part matches (in the same document, in any of its strings). */
  record And(List<Node> parts) implements Node {}

  /** Any part matches. */
  record Or(List<Node> parts) implements Node {}

  /** The part does not match. */
  record Not(Node part) implements Node {}

  /** One matching condition on one string of a document. */
  record Atom(Match match, Optional<String> key) implements Node {}

  /** What an atom asks of one string's tokens. */
  sealed interface Match {}

  /**
   * These terms at these relative positions (consecutive, but for a gap between two CJK runs; see
   * {@link Tokens}); one term: the term anywhere.
   */
  record Phrase(List<String> terms, List<Integer> positions) implements Match {
    static Phrase of(List<Tokens.Token> tokens) {
      int base = tokens.getFirst().position();
      return new Phrase(tokens.stream().map(Tokens.Token::term).toList(), tokens.stream().map(t -> t.position() - base).toList());
    }

    /** The phrase as tokens at its positions (no offsets), as {@link Tokens#matchesAt} takes a pattern. */
    List<Tokens.Token> tokens() {
      List<Tokens.Token> out = new ArrayList<>(terms.size());
      for (int i = 0; i < terms.size(); i++) {
        out.add(new Tokens.Token(terms.get(i), positions.get(i), 0, 0));
      }
      return out;
    }
  }

  /** A term starting with {@code prefix}. */
  record Prefix(String prefix) implements Match {}

  /** A term within {@code edits} edits of {@code term}. */
  record Fuzzy(String term, int edits) implements Match {}

  private final String text;
  private final Node root;
  private final List<String> paths;

  private SearchQuery(String text, Node root, List<String> paths) {
    this.text = text;
    this.root = root;
    this.paths = List.copyOf(paths);
  }

  /** The query as typed. */
  String text() {
    return text;
  }

  /** The tree. */
  Node root() {
    return root;
  }

  /** The path filters (JSON pointers); empty when the query has none. */
  List<String> paths() {
    return paths;
  }

  /**
   * Parses {@code text}.
   *
   * @throws InvalidQueryException on bad syntax or a form too expensive to run
   */
  static SearchQuery parse(String text) {
    Parser p = new Parser(text);
    List<String> paths = new ArrayList<>();
    Node root = p.top(paths);
    return new SearchQuery(text, root, paths);
  }

  /** The recursive-descent parser over a simple lexer; one per parse. */
  private static final class Parser {
    private final String q;
    private int i;

    Parser(String q) {
      this.q = q;
    }

    private InvalidQueryException error(String problem) {
      return new InvalidQueryException(q, problem);
    }

    Node top(List<String> paths) {
      List<Node> parts = new ArrayList<>();
      List<Node> alternatives = new ArrayList<>();
      while (true) {
        skipSpace();
        if (i >= q.length()) {
          break;
        }
        if (peekKeyword("OR")) {
          i += 2;
          alternatives.add(group(parts));
          parts = new ArrayList<>();
          continue;
        }
        if (q.startsWith("path:", i)) {
          if (!alternatives.isEmpty()) {
            throw error("path: filters apply to the whole query and cannot be combined with OR");
          }
          i += 5;
          paths.add(pointer());
          continue;
        }
        parts.add(unary());
      }
      if (parts.isEmpty() && alternatives.isEmpty()) {
        throw error(paths.isEmpty() ? "it is empty" : "a path: filter needs words to search for");
      }
      alternatives.add(group(parts));
      if (!paths.isEmpty() && alternatives.size() > 1) {
        throw error("path: filters apply to the whole query and cannot be combined with OR");
      }
      return alternatives.size() == 1 ? alternatives.getFirst() : new Or(alternatives);
    }

    private Node group(List<Node> parts) {
      if (parts.isEmpty()) {
        throw error("OR and brackets need words, phrases or brackets inside and on both sides");
      }
      return parts.size() == 1 ? parts.getFirst() : new And(List.copyOf(parts));
    }

    private Node or() {
      List<Node> alternatives = new ArrayList<>();
      List<Node> parts = new ArrayList<>();
      while (true) {
        skipSpace();
        if (i >= q.length()) {
          throw error("a bracket is not closed");
        }
        if (q.charAt(i) == ')') {
          i++;
          alternatives.add(group(parts));
          return alternatives.size() == 1 ? alternatives.getFirst() : new Or(alternatives);
        }
        if (peekKeyword("OR")) {
          i += 2;
          alternatives.add(group(parts));
          parts = new ArrayList<>();
          continue;
        }
        if (q.startsWith("path:", i)) {
          throw error("path: filters apply to the whole query and cannot be inside brackets");
        }
        parts.add(unary());
      }
    }

    private Node unary() {
      skipSpace();
      if (peekKeyword("AND")) {
        i += 3;
        skipSpace();
      }
      if (peekKeyword("NOT")) {
        i += 3;
        return new Not(operand("NOT"));
      }
      if (i < q.length() && q.charAt(i) == '-') {
        i++;
        return new Not(operand("-"));
      }
      if (i < q.length() && q.charAt(i) == '(') {
        i++;
        return or();
      }
      if (i < q.length() && q.charAt(i) == ')') {
        throw error("a closing bracket without an opening one");
      }
      return atom();
    }

    private Node operand(String operator) {
      skipSpace();
      if (i >= q.length() || q.charAt(i) == ')' || q.startsWith("path:", i)) {
        throw error(operator + " needs a word, a phrase or a bracket after it");
      }
      return unary();
    }

    private Node atom() {
      Optional<String> key = Optional.empty();
      int colon = fieldEnd();
      if (colon > i) {
        key = Optional.of(q.substring(i, colon));
        i = colon + 1;
        if (i >= q.length() || Character.isWhitespace(q.charAt(i))) {
          throw error("the field " + key.get() + ": needs a value right after the colon");
        }
      }
      if (q.charAt(i) == '"') {
        int close = q.indexOf('"', i + 1);
        if (close < 0) {
          throw error("a quote is not closed");
        }
        String phrase = q.substring(i + 1, close);
        i = close + 1;
        return new Atom(Phrase.of(analysed(phrase, "the phrase \"" + phrase + "\"")), key);
      }
      int start = i;
      while (i < q.length() && !Character.isWhitespace(q.charAt(i)) && "()\"".indexOf(q.charAt(i)) < 0) {
        i++;
      }
      return new Atom(word(q.substring(start, i)), key);
    }

    /** Where a {@code key:} prefix at {@code i} ends (its colon), or -1. */
    private int fieldEnd() {
      int j = i;
      while (j < q.length() && (Character.isLetterOrDigit(q.charAt(j)) || q.charAt(j) == '_' || q.charAt(j) == '-')) {
        j++;
      }
      return j > i && j < q.length() && q.charAt(j) == ':' ? j : -1;
    }

    private Match word(String w) {
      int star = w.indexOf('*');
      if (star >= 0 && star < w.length() - 1 || w.equals("*")) {
        throw error("the wildcard in " + w + " is not at the end of a word (a leading or inner wildcard would scan every term)");
      }
      if (star == w.length() - 1) {
        String stem = single(w.substring(0, star), w);
        if (stem.codePointCount(0, stem.length()) < MIN_PREFIX) {
          throw error("the prefix " + w + " is too short: give at least " + MIN_PREFIX + " letters before *");
        }
        return new Prefix(stem);
      }
      int tilde = w.lastIndexOf('~');
      if (tilde > 0) {
        String edits = w.substring(tilde + 1);
        if (!edits.isEmpty() && !edits.equals("1") && !edits.equals("2")) {
          throw error("a fuzzy term takes ~, ~1 or ~2 edits, not " + w);
        }
        String term = single(w.substring(0, tilde), w);
        if (term.codePointCount(0, term.length()) < MIN_FUZZY) {
          throw error("the fuzzy term " + w + " is too short: give at least " + MIN_FUZZY + " letters before ~");
        }
        return new Fuzzy(term, edits.isEmpty() ? 2 : Integer.parseInt(edits));
      }
      return Phrase.of(analysed(w, "the word " + w));
    }

    private String single(String stem, String w) {
      List<String> terms = Tokens.terms(stem);
      if (terms.size() != 1) {
        throw error(w + " must be a single word of letters and digits before its * or ~");
      }
      return terms.getFirst();
    }

    private List<Tokens.Token> analysed(String s, String what) {
      List<Tokens.Token> terms = Tokens.of(s);
      if (terms.isEmpty()) {
        throw error(what + " holds no letters or digits");
      }
      return terms;
    }

    private String pointer() {
      int start = i;
      while (i < q.length() && !Character.isWhitespace(q.charAt(i))) {
        i++;
      }
      String p = q.substring(start, i);
      if (!p.startsWith("/")) {
        throw error("path: takes a JSON pointer starting with / (path:/tasks), not " + (p.isEmpty() ? "nothing" : p));
      }
      return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private boolean peekKeyword(String k) {
      int end = i + k.length();
      return q.startsWith(k, i) && (end == q.length() || Character.isWhitespace(q.charAt(end)) || q.charAt(end) == '(');
    }

    private void skipSpace() {
      while (i < q.length() && Character.isWhitespace(q.charAt(i))) {
        i++;
      }
    }
  }
}
