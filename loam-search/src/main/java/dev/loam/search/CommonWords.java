package dev.loam.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The words an index holds in pairs: the most common words of its documents, for which each two
 * that stand next to each other in a string are also indexed as one term (as Lucene's
 * CommonGrams filter does), so that a phrase of common words is one short postings list rather
 * than a walk over the positions of two words nearly every document holds.
 *
 * <p>The set is chosen from the documents, not from a language's stop words: when an index is
 * filled from empty with at least {@link #MIN_DOCUMENTS} documents, from a sample of them, the
 * words at least half the sampled documents hold (at most {@link #MAX_WORDS} of them, the most
 * frequent). It then stays the same for every document indexed until the index is filled afresh
 * (a query may use a pair only if every document in the index was indexed with it), which
 * happens when the index has grown {@link #GROWTH} times since the choice (or from nothing past
 * {@link #MIN_DOCUMENTS}). A pair's term is the two words with a space between, which no token
 * holds. Immutable.
 *
 * @param words the words held in pairs; empty for none
 * @param chosenAt how many documents the index held when they were chosen (0: never chosen)
 */
record CommonWords(Set<String> words, int chosenAt) {
  /** The fewest documents an index is filled with before the words are chosen: a smaller index answers phrases fast without. */
  static final int MIN_DOCUMENTS = 5_000;
  /** How many documents a choice samples. */
  static final int SAMPLE = 1_000;
  /** The most words chosen: pairs of the words that most documents hold, the phrases that are slow without. */
  static final int MAX_WORDS = 64;
  /** How much an index grows after a choice before its words are chosen again (and the index filled afresh). */
  static final int GROWTH = 8;
  /** None: an index that holds no pairs. */
  static final CommonWords NONE = new CommonWords(Set.of(), 0);

  private static final String WORDS_KEY = "loam.search.common";
  private static final String CHOSEN_AT_KEY = "loam.search.common.at";

  CommonWords {
    words = Set.copyOf(words);
  }

  /** Whether {@code a} then {@code b}, one position apart, are indexed as a pair too. */
  boolean pair(String a, String b) {
    return words.contains(a) && words.contains(b);
  }

  /** The term of the pair {@code a}, {@code b}. */
  static String pairTerm(String a, String b) {
    return a + ' ' + b;
  }

  /**
   * Whether an index that holds {@code documents} documents, with these words, should choose them
   * again (and be filled afresh): it has grown past {@link #MIN_DOCUMENTS} and {@link #GROWTH}
   * times what it held at the last choice.
   */
  boolean due(int documents, int minDocuments) {
    return documents >= minDocuments && documents >= (long) GROWTH * chosenAt;
  }

  /**
   * The words chosen from {@code sample} (each document's distinct terms) for an index of {@code
   * documents} documents: those at least half the sampled documents hold, the most frequent
   * {@link #MAX_WORDS} first (ties by the words' order).
   */
  static CommonWords choose(Collection<Set<String>> sample, int documents) {
    Map<String, Integer> df = new HashMap<>();
    for (Set<String> terms : sample) {
      for (String t : terms) {
        df.merge(t, 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> common = new ArrayList<>();
    for (Map.Entry<String, Integer> e : df.entrySet()) {
      if (2L * e.getValue() >= sample.size() && !sample.isEmpty()) {
        common.add(e);
      }
    }
    common.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
    Set<String> words = new HashSet<>();
    for (Map.Entry<String, Integer> e : common.subList(0, Math.min(MAX_WORDS, common.size()))) {
      words.add(e.getKey());
    }
    return new CommonWords(words, Math.max(1, documents));
  }

  /** These words as an index commit's user data. */
  Map<String, String> userData() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(WORDS_KEY, String.join(" ", new TreeSet<>(words)));
    out.put(CHOSEN_AT_KEY, Integer.toString(chosenAt));
    return out;
  }

  /**
   * The words recorded in a commit's user data; {@link #NONE} if there are none (an index written
   * before pairs were: it holds none).
   */
  static CommonWords of(Map<String, String> userData) {
    String words = userData.get(WORDS_KEY);
    String at = userData.get(CHOSEN_AT_KEY);
    if (words == null || at == null) {
      return NONE;
    }
    try {
      return new CommonWords(words.isEmpty() ? Set.of() : Set.of(words.split(" ")), Math.max(0, Integer.parseInt(at)));
    } catch (IllegalArgumentException e) { // a duplicate word or a number that is not one: hold no pairs
      return NONE;
    }
  }
}
