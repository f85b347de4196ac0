package dev.loam.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic corpus of note-like documents for the search benchmark: a vocabulary of made-up
 * words (some with accents, a few Chinese/Japanese ones), drawn with a Zipf distribution (word of
 * rank r has weight 1/r), each document a title of a few words and a body of about 1.5 KB with
 * commas and full stops. The same seed gives the same corpus. Immutable after construction.
 */
final class SearchCorpus {
  private static final String[] ONSETS = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
      "br", "ch", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "io"};
  private static final String[] CODAS = {"", "", "", "n", "r", "s", "t", "l", "m", "nd", "st"};
  private static final String ACCENTED = "éèàüöçñ";
  private static final int BODY_CHARS = 1_500;

  /** One document: a title and a body. */
  record Doc(String title, String body) {}

  private final List<String> vocabulary;
  private final double[] cumulative;
  private final long seed;

  /** A vocabulary of {@code words} words from {@code seed}. */
  SearchCorpus(long seed, int words) {
    this.seed = seed;
    Random r = new Random(seed);
    Set<String> seen = new HashSet<>();
    List<String> vocab = new ArrayList<>(words);
    while (vocab.size() < words) {
      String w = word(r);
      if (seen.add(w)) {
        vocab.add(w);
      }
    }
    this.vocabulary = List.copyOf(vocab);
    cumulative = new double[words];
    double sum = 0;
    for (int i = 0; i < words; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < words; i++) {
      cumulative[i] /= sum;
    }
  }

  private static String word(Random r) {
    int roll = r.nextInt(100);
    if (roll < 2) { // Chinese/Japanese: two or three Han characters
      StringBuilder b = new StringBuilder();
      for (int i = 0, n = 2 + r.nextInt(2); i < n; i++) {
        b.append((char) (0x4E00 + r.nextInt(0x0800)));
      }
      return b.toString();
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      b.append(ONSETS[r.nextInt(ONSETS.length)]).append(VOWELS[r.nextInt(VOWELS.length)]);
    }
    b.append(CODAS[r.nextInt(CODAS.length)]);
    if (roll < 7) { // accented
      int at = r.nextInt(b.length());
      b.setCharAt(at, ACCENTED.charAt(r.nextInt(ACCENTED.length())));
    }
    return b.toString();
  }

  /** The word of rank {@code rank} (0 is the most frequent). */
  String word(int rank) {
    return vocabulary.get(rank);
  }

  int vocabularySize() {
    return vocabulary.size();
  }

  /** A word drawn by its Zipf weight. */
  String draw(Random r) {
    double x = r.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return vocabulary.get(lo);
  }

  /** Document {@code i} of the corpus (the same for the same seed and index). */
  Doc doc(int i) {
    Random r = new Random(seed * 1_000_003L + i);
    StringBuilder title = new StringBuilder();
    for (int k = 0, n = 3 + r.nextInt(5); k < n; k++) {
      title.append(k == 0 ? "" : " ").append(draw(r));
    }
    StringBuilder body = new StringBuilder(BODY_CHARS + 64);
    int inSentence = 0;
    while (body.length() < BODY_CHARS) {
      String w = draw(r);
      body.append(inSentence == 0 ? capital(w) : w);
      inSentence++;
      if (inSentence > 6 && r.nextInt(8) == 0) {
        body.append(". ");
        inSentence = 0;
      } else {
        body.append(r.nextInt(10) == 0 ? ", " : " ");
      }
    }
    return new Doc(title.toString(), body.toString().strip());
  }

  private static String capital(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
