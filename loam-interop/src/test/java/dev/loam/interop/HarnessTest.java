package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Checks the test harness itself against JS, so a harness bug is not reported as a Loam bug. */
class HarnessTest {
  @Test
  void timestampsPrintAsJsDatePrintsThem() {
    List<Long> millis = List.of(0L, -1L, 1_700_000_000_123L, -1_000_000L, 253_402_300_799_999L, 253_402_300_800_000L,
        -62_167_219_200_000L, -62_167_219_200_001L, 8_640_000_000_000_000L, 8_640_000_000_000_001L,
        -8_640_000_000_000_000L, -8_640_000_000_000_001L, 4_000_000_000_000L, -4_000_000_000_000L);
    try (NodeDriver node = NodeDriver.start()) {
      JsonNode js = node.call("isoDates", "millis", millis);
      List<String> expected = new ArrayList<>();
      List<String> actual = new ArrayList<>();
      for (int i = 0; i < millis.size(); i++) {
        expected.add(LoamJson.canonical(js.get(i)));
        actual.add(LoamJson.canonical(LoamJson.isoDate(millis.get(i))));
      }
      assertEquals(expected, actual);
    }
  }
}
