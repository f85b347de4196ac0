package dev.loam.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsNumberTest {
  @Test
  void printsTheLayoutsOfNumberToString() {
    assertEquals("0", JsNumber.toString(0.0));
    assertEquals("0", JsNumber.toString(-0.0));
    assertEquals("1", JsNumber.toString(1.0));
    assertEquals("-1.5", JsNumber.toString(-1.5));
    assertEquals("0.30000000000000004", JsNumber.toString(0.1 + 0.2));
    assertEquals("100000000000000000000", JsNumber.toString(1e20));
    assertEquals("1e+21", JsNumber.toString(1e21));
    assertEquals("1.5e+21", JsNumber.toString(1.5e21));
    assertEquals("0.000001", JsNumber.toString(1e-6));
    assertEquals("1e-7", JsNumber.toString(1e-7));
    assertEquals("1.5e-7", JsNumber.toString(1.5e-7));
    assertEquals("NaN", JsNumber.toString(Double.NaN));
    assertEquals("-Infinity", JsNumber.toString(Double.NEGATIVE_INFINITY));
  }

  @Test
  void choosesTheClosestSingleDigitWhereJavaPrintsTwo() {
    assertEquals("5e-324", JsNumber.toString(Double.MIN_VALUE));
    assertEquals("1e-323", JsNumber.toString(2 * Double.MIN_VALUE));
    assertEquals("1e+23", JsNumber.toString(1e23));
  }

  @Test
  void agreesWithNodeOnEveryNumberOfTheTable() throws IOException {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (String[] row : table("js-number-tostring.txt")) {
      double x = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
      String got = JsNumber.toString(x);
      count++;
      if (!got.equals(row[1])) {
        failures.add(row[0] + ": expected " + row[1] + ", got " + got);
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(520, count);
  }

  static List<String[]> table(String name) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        JsNumberTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.startsWith("#") && !line.isBlank()) {
          rows.add(line.split(" ", 2));
        }
      }
    }
    return rows;
  }
}
