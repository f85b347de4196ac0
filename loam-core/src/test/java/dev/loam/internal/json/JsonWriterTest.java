package dev.loam.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import dev.loam.ScalarValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  private static String str(String s) {
    return JsonWriter.write(s);
  }

  @Test
  void escapesStringsAsJsonStringifyDoes() {
    // Expectations printed by node 20's JSON.stringify.
    assertEquals("\"plain\"", str("plain"));
    assertEquals("\"quote\\\" back\\\\ slash/\"", str("quote\" back\\ slash/"));
    assertEquals("\"\\b\\f\\n\\r\\t\"", str("\b\f\n\r\t"));
    assertEquals("\"\\u0000\\u0001\\u001f\u007f\u0080\"", str("\u0000\u0001\u001f\u007f\u0080"));
    assertEquals("\"\u2028\u2029\"", str("\u2028\u2029"));
    assertEquals("\"héllo 🌍\"", str("héllo 🌍"));
  }

  @Test
  void escapesLoneSurrogatesInLowercaseHex() {
    assertEquals("\"\\ud800\"", str("\ud800"));
    assertEquals("\"a\\udc00b\"", str("a\udc00b"));
    assertEquals("\"\udbff\udfff\"", str("\udbff\udfff"));
    assertEquals("\"\\udfff\\ud800\"", str("\udfff\ud800"));
  }

  @Test
  void printsEveryScalarTypeAsTheCliPromises() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("null", ScalarValue.NULL);
    m.put("t", ScalarValue.TRUE);
    m.put("f", ScalarValue.FALSE);
    m.put("int", ScalarValue.of(-9223372036854775808L));
    m.put("uint", ScalarValue.uint(-1L));
    m.put("f64", ScalarValue.of(1.5e-7));
    m.put("nan", ScalarValue.of(Double.NaN));
    m.put("inf", ScalarValue.of(Double.POSITIVE_INFINITY));
    m.put("negzero", ScalarValue.of(-0.0));
    m.put("str", ScalarValue.of("imm"));
    m.put("ts", ScalarValue.timestamp(1700000000123L));
    m.put("badts", ScalarValue.timestamp(Long.MAX_VALUE));
    m.put("counter", ScalarValue.counter(12));
    m.put("bytes", ScalarValue.bytes(new byte[] {1, 2, 3}));
    m.put("empty", ScalarValue.bytes(new byte[0]));
    m.put("unknown", new ScalarValue.Unknown(12, Bytes.of(new byte[] {(byte) 0xff, (byte) 0xfe})));
    assertEquals(
        "{\"null\":null,\"t\":true,\"f\":false,\"int\":-9223372036854775808,\"uint\":18446744073709551615,"
            + "\"f64\":1.5e-7,\"nan\":null,\"inf\":null,\"negzero\":0,\"str\":\"imm\","
            + "\"ts\":\"2023-11-14T22:13:20.123Z\",\"badts\":null,\"counter\":12,\"bytes\":\"AQID\","
            + "\"empty\":\"\",\"unknown\":\"//4=\"}",
        JsonWriter.write(m));
  }

  @Test
  void nestsMapsListsAndText() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("text", "héllo 🌍");
    List<Object> list = new ArrayList<>(Arrays.asList(ScalarValue.of(1), "two", inner, List.of(), Map.of()));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("list", list);
    root.put("k\"ey", ScalarValue.of(1e21));
    assertEquals(
        "{\"list\":[1,\"two\",{\"text\":\"héllo 🌍\"},[],{}],\"k\\\"ey\":1e+21}", JsonWriter.write(root));
  }
}
