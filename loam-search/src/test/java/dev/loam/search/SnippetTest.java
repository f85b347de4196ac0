package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Snippets by example: what is marked, where the stretch is cut, what is escaped. */
class SnippetTest {
  private static List<Tokens.Token> phrase(String text) {
    return Tokens.of(text);
  }

  private static Snippet.Marks words(String... words) {
    return new Snippet.Marks(Set.of(words), List.of());
  }

  @Test
  void aShortStringIsShownWholeWithEveryMatchMarked() {
    assertEquals("Buy <b>milk</b>, then more <b>MILK</b>!", Snippet.of("Buy milk, then more MILK!", words("milk"), 80));
    assertEquals("<b>Café</b> au lait", Snippet.of("Café au lait", words("cafe"), 80), "folded as the index folds");
  }

  @Test
  void aPhraseIsMarkedWholeAndItsWordsAloneAreNot() {
    Snippet.Marks marks = new Snippet.Marks(Set.of("tea"), List.of(phrase("red apple")));
    assertEquals("a red pear, <b>red apple</b>, an apple, <b>tea</b>", Snippet.of("a red pear, red apple, an apple, tea", marks, 80));
    assertEquals("<b>東京都</b>に", Snippet.of("東京都に", Snippet.Marks.of(phrase("東京都")), 80), "CJK bigrams as a phrase");
    assertEquals("", Snippet.of("an apple, red", new Snippet.Marks(Set.of(), List.of(phrase("red apple"))), 80));
  }

  @Test
  void wordsNoMarkCanBeAreNotFoldedYetKeepTheirPlaces() {
    // "Red" and "rod", "APPLE" and "ample" share lengths and first letters with the marks; "and",
    // "a" and "tea" share neither: the phrase still needs its words next to each other
    Snippet.Marks marks = new Snippet.Marks(Set.of("rod"), List.of(phrase("red apple")));
    assertEquals("a <b>Red APPLE</b> and a red ample <b>ROD</b>, red tea apple",
        Snippet.of("a Red APPLE and a red ample ROD, red tea apple", marks, 80));
    assertEquals("<b>CAFE</b> and <b>Café</b>, cafés", Snippet.of("CAFE and Café, cafés", words("cafe"), 80),
        "a word with other letters than ASCII is folded to see");
    Tokens.Wanted none = (text, start, end) -> false;
    assertEquals(List.of(Tokens.SKIPPED, Tokens.SKIPPED), Tokens.of("some words", none).stream().map(Tokens.Token::term).toList());
    assertEquals(Tokens.of("some words").stream().map(Tokens.Token::position).toList(),
        Tokens.of("some words", none).stream().map(Tokens.Token::position).toList());
  }

  @Test
  void aLongStringIsCutBetweenWordsAroundTheFirstMatch() {
    String text = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike";
    // 10 characters each side of "golf" (39..43): 29..53, narrowed to the whole words inside it
    assertEquals("… foxtrot <b>golf</b> hotel …", Snippet.of(text, words("golf"), 10));
    // near the start, the unused context on the left goes to the right
    assertEquals("<b>alpha</b> bravo charlie delta …", Snippet.of(text, words("alpha"), 10));
    // near the end, the other way round
    assertEquals("… juliet kilo lima <b>mike</b>", Snippet.of(text, words("mike"), 10));
    // a later match inside the stretch is marked too; one beyond it is not shown
    assertEquals("… foxtrot <b>golf</b> <b>hotel</b> …", Snippet.of(text, words("golf", "hotel", "mike"), 10));
  }

  @Test
  void textIsEscapedForHtmlAndAStringWithoutAMatchGivesNothing() {
    assertEquals("&lt;b&gt; &amp; <b>x</b> &quot;y&quot;", Snippet.of("<b> & x \"y\"", words("x"), 80));
    assertEquals("", Snippet.of("nothing here", words("absent"), 80));
    String longWord = "q".repeat(300);
    String piece = "q".repeat(Tokens.MAX_WORD);
    // a word longer than MAX_WORD is tokens of MAX_WORD letters; the stretch ends after the first
    assertEquals("start <b>" + piece + "</b> …", Snippet.of("start " + longWord + " end", words(piece), 10));
  }
}
