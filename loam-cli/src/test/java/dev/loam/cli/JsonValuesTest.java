package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loam.ScalarValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  private static ScalarValue number(String json) {
    return JsonValues.scalar(JsonValues.parse(json, "test"));
  }

  @Test
  void typesIntegralNumbersThatFitSixtyFourBitsAsInts() {
    assertEquals(ScalarValue.of(1L), number("1"));
    assertEquals(ScalarValue.of(1L), number("1.0"));
    assertEquals(ScalarValue.of(1000L), number("1e3"));
    assertEquals(ScalarValue.of(0L), number("-0"));
    assertEquals(ScalarValue.of(0L), number("-0.0"));
    assertEquals(ScalarValue.of(Long.MIN_VALUE), number("-9223372036854775808"));
    assertEquals(ScalarValue.of(Long.MAX_VALUE), number("9223372036854775807"));
    assertEquals(ScalarValue.of(9007199254740993L), number("9007199254740993"));
  }

  @Test
  void typesOtherNumbersAsF64() {
    assertEquals(ScalarValue.of(1.5), number("1.5"));
    assertEquals(ScalarValue.of(0x1p63), number("9223372036854775808"));
    assertEquals(ScalarValue.of(1e30), number("1e30"));
    assertEquals(ScalarValue.of(Double.POSITIVE_INFINITY), number("1e400"));
    assertEquals(ScalarValue.of(1e-7), number("1e-7"));
  }

  @Test
  void typesANumberByItsDoubleWhenThatIsIntegralThoughTheTextIsNot() {
    // JavaScript reads 1.00000000000000001 as 1, an integer.
    assertEquals(ScalarValue.of(1L), JsonValues.number(new BigDecimal("1.00000000000000001")));
  }

  @Test
  void typesBooleansAndNull() {
    assertEquals(ScalarValue.TRUE, number("true"));
    assertEquals(ScalarValue.NULL, number("null"));
  }

  @Test
  void typesMarkStringsAsScalarStrings() {
    assertEquals(ScalarValue.of("x"), mark("\"x\""));
    assertEquals(ScalarValue.of(2L), mark("2"));
    assertEquals(ScalarValue.TRUE, mark("true"));
    assertThrows(CliException.class, () -> mark("{}"));
  }

  @Test
  void typesMarkNumbersAsJsMarkDoesOnlyPositiveIntegersAreInts() {
    // Checked against @automerge/automerge 3.5.0: mark(doc, path, range, name, n) hashes.
    assertEquals(ScalarValue.of(5L), mark("5"));
    assertEquals(ScalarValue.of(-5.0), mark("-5"));
    assertEquals(ScalarValue.of(0.0), mark("0"));
    assertEquals(ScalarValue.of(-0.0), mark("-0"));
    assertEquals(ScalarValue.of(1.5), mark("1.5"));
    assertEquals(ScalarValue.of(Long.MAX_VALUE), mark("1e19"));
    assertEquals(ScalarValue.of(9007199254740992L), mark("9007199254740993"));
  }

  private static ScalarValue mark(String json) {
    return JsonValues.markValue(JsonValues.parse(json, "t"), json);
  }

  @Test
  void ordersPropertiesAsJavaScriptEnumeratesThem() {
    var node = JsonValues.parse("{\"b\":1,\"10\":2,\"a\":3,\"2\":4,\"01\":5,\"4294967295\":6,\"4294967294\":7}", "t");
    List<String> keys = JsonValues.jsPropertyOrder(node).stream().map(Map.Entry::getKey).toList();
    assertEquals(List.of("2", "10", "4294967294", "b", "a", "01", "4294967295"), keys);
  }

  @Test
  void rejectsTextThatIsNotJsonWithAHint() {
    CliException e = assertThrows(CliException.class, () -> JsonValues.parse("hello", "--put /a"));
    assertEquals("--put /a: not JSON: hello (a string is written in quotes: '\"hello\"')", e.getMessage());
    assertThrows(CliException.class, () -> JsonValues.parse("1 2", "t"));
  }
}
