package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How text becomes tokens: letters and digits, folded; CJK as bigrams; offsets into the source. */
class TokensTest {
  @Test
  void wordsAreRunsOfLettersAndDigitsFoldedToLowerCaseWithoutAccents() {
    assertEquals(List.of("cafe", "creme", "brulee"), Tokens.terms("Café CRÈME-brûlée!"));
    assertEquals(List.of("cafe"), Tokens.terms("Cafe\u0301"), "a decomposed accent");
    assertEquals(List.of("fine", "abc"), Tokens.terms("ﬁne ＡＢＣ"), "compatibility forms");
    assertEquals(List.of("issue", "42", "v1", "2", "3"), Tokens.terms("issue_42 v1.2.3"));
    assertEquals(List.of("runs"), Tokens.terms("runs"), "no stemming");
    assertEquals(List.of("the", "a", "of"), Tokens.terms("the a of"), "no stop words");
    assertEquals(List.of("αθηνα", "москва"), Tokens.terms("Αθηνά Москва"));
  }

  @Test
  void chineseJapaneseAndKoreanRunsBecomeOverlappingPairs() {
    assertEquals(List.of("東京", "京都"), Tokens.terms("東京都"));
    assertEquals(List.of("東"), Tokens.terms("東"));
    assertEquals(List.of("東京", "tower"), Tokens.terms("東京Tower"));
    assertEquals(List.of("がっ", "っこ", "こう"), Tokens.terms("がっこう"), "voiced kana keep their marks");
    assertEquals(List.of("서울", "울시"), Tokens.terms("서울시"));
  }

  @Test
  void tokensKnowWhereTheyCameFrom() {
    String text = "Ünïcode, 東京都 x";
    List<Tokens.Token> tokens = Tokens.of(text);
    assertEquals(List.of("Ünïcode", "東京", "京都", "x"), tokens.stream().map(t -> text.substring(t.start(), t.end())).toList());
    assertEquals(List.of(0, 1, 2, 3), tokens.stream().map(Tokens.Token::position).toList());
  }

  @Test
  void twoCjkRunsSideBySideAreAPositionApartSoNoPhraseOfBigramsSpansThem() {
    assertEquals(List.of(0, 2), Tokens.of("서울 울시").stream().map(Tokens.Token::position).toList());
    assertEquals(List.of(0, 1, 3, 4), Tokens.of("東京都、京都府").stream().map(Tokens.Token::position).toList());
    assertEquals(List.of(0, 1, 2), Tokens.of("東京 x 京都").stream().map(Tokens.Token::position).toList());
    List<Tokens.Token> seoul = Tokens.of("서울시");
    assertEquals(false, Tokens.matchesAt(Tokens.of("서울 울시"), 0, seoul));
    assertEquals(true, Tokens.matchesAt(Tokens.of("큰 서울시"), 1, seoul));
  }
}
