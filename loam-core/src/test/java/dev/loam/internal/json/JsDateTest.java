package dev.loam.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsDateTest {
  @Test
  void printsExtendedYearsOutsideZeroToNineThousandNineHundredNinetyNine() {
    assertEquals("9999-12-31T23:59:59.999Z", JsDate.toIsoString(253402300799999L));
    assertEquals("+010000-01-01T00:00:00.000Z", JsDate.toIsoString(253402300800000L));
    assertEquals("0000-01-01T00:00:00.000Z", JsDate.toIsoString(-62167219200000L));
    assertEquals("-000001-12-31T23:59:59.999Z", JsDate.toIsoString(-62167219200001L));
  }

  @Test
  void hasNoDateBeyondEightPointSixFourETwentyFifteenMilliseconds() {
    assertEquals("+275760-09-13T00:00:00.000Z", JsDate.toIsoString(8_640_000_000_000_000L));
    assertEquals("-271821-04-20T00:00:00.000Z", JsDate.toIsoString(-8_640_000_000_000_000L));
    assertNull(JsDate.toIsoString(8_640_000_000_000_001L));
    assertNull(JsDate.toIsoString(Long.MIN_VALUE));
  }

  @Test
  void agreesWithNodeOnEveryTimestampOfTheTable() throws IOException {
    List<String> failures = new ArrayList<>();
    for (String[] row : JsNumberTest.table("js-date-toisostring.txt")) {
      String got = String.valueOf(JsDate.toIsoString(Long.parseLong(row[0])));
      if (!got.equals(row[1])) {
        failures.add(row[0] + ": expected " + row[1] + ", got " + got);
      }
    }
    assertEquals(List.of(), failures);
  }
}
