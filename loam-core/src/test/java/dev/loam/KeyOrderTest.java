package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Map keys in document order: their UTF-8 bytes' order, which {@code keys} lists and the CLI writes in. */
class KeyOrderTest {
  private static final String[] PIECES = {"a", "B", "é", "\uE000", "\uFFFF", "😀", "\uD83D\uDE00x", "", "\u0000"};

  private static int byUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPrivateUseCharacterComesBeforeAnEmojiUnlikeStringCompareTo() {
    assertEquals(true, "\uE000".compareTo("😀") > 0, "String.compareTo orders UTF-16 units");
    assertEquals(true, KeyOrder.compare("\uE000", "😀") < 0);
  }

  @TestFactory
  Stream<DynamicTest> agreesWithTheOrderOfUtf8BytesAndWithKeys() {
    return Seeds.tests("key order", seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(4); n >= 0; n--) {
          sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        if (!sb.isEmpty()) {
          keys.add(sb.toString());
        }
      }
      for (String a : keys) {
        for (String b : keys) {
          assertEquals(Integer.signum(byUtf8(a, b)), Integer.signum(KeyOrder.compare(a, b)), a + " vs " + b);
        }
      }
      Document doc = Document.create();
      for (String k : keys) {
        doc.put(ObjId.ROOT, k, ScalarValue.of(1));
      }
      doc.commit();
      List<String> expected = keys.stream().distinct().sorted(KeyOrderTest::byUtf8).toList();
      assertEquals(expected, doc.keys(ObjId.ROOT));
    });
  }
}
