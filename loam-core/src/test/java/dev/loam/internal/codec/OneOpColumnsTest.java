package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.loam.Bytes;
import dev.loam.ScalarValue;
import dev.loam.Seeds;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeOp;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The direct writer for one-op changes against the general column encoders, whose output the
 * differential tests hold to Automerge JS's bytes: every shape of op (map or sequence, insert or
 * not, root or nested object, no pred or one, every value type, marks and expand) must come out
 * byte for byte the same.
 */
class OneOpColumnsTest {
  @TestFactory
  Stream<DynamicTest> theOneOpWriterMatchesTheGeneralEncoders() {
    return Seeds.tests("one-op columns", seed -> {
      Random rnd = new Random(seed);
      for (int i = 0; i < 200; i++) {
        ChangeOp op = randomOp(rnd);
        ChangeOpSource src = ChangeOpSource.of(List.of(op));
        assertArrayEquals(ChangeChunk.opColumnBytes(src, true), ChangeChunk.opColumnBytes(src, false), op.toString());
      }
    });
  }

  static ChangeOp randomOp(Random rnd) {
    boolean map = rnd.nextBoolean();
    boolean root = rnd.nextInt(3) == 0;
    int action = switch (rnd.nextInt(6)) {
      case 0 -> Actions.DEL;
      case 1 -> Actions.INC;
      case 2 -> Actions.MARK;
      case 3 -> Actions.MAKE_TEXT;
      default -> Actions.SET;
    };
    boolean mark = action == Actions.MARK && rnd.nextBoolean();
    int preds = rnd.nextInt(2);
    long[] predCtr = new long[preds];
    int[] predActor = new int[preds];
    for (int k = 0; k < preds; k++) {
      predCtr[k] = 1 + rnd.nextInt(1 << rnd.nextInt(31));
      predActor[k] = rnd.nextInt(4);
    }
    boolean head = !map && rnd.nextInt(4) == 0;
    return new ChangeOp(
        root ? 0 : 1 + rnd.nextInt(100_000),
        root ? -1 : rnd.nextInt(4),
        map ? randomString(rnd) : null,
        map || head ? 0 : 1 + rnd.nextInt(1 << rnd.nextInt(31)),
        map || head ? -1 : rnd.nextInt(4),
        !map && rnd.nextBoolean(),
        action,
        action == Actions.SET || action == Actions.INC || mark ? randomValue(rnd) : ScalarValue.NULL,
        predCtr,
        predActor,
        action == Actions.MARK && rnd.nextBoolean(),
        mark ? randomString(rnd) : null);
  }

  private static ScalarValue randomValue(Random rnd) {
    return switch (rnd.nextInt(11)) {
      case 0 -> ScalarValue.NULL;
      case 1 -> new ScalarValue.Bool(rnd.nextBoolean());
      case 2 -> new ScalarValue.Uint(rnd.nextLong() >>> rnd.nextInt(64));
      case 3 -> new ScalarValue.Int(rnd.nextLong() >> rnd.nextInt(64));
      case 4 -> new ScalarValue.F64(rnd.nextBoolean() ? rnd.nextDouble() : Double.longBitsToDouble(rnd.nextLong()));
      case 5 -> new ScalarValue.Str(randomString(rnd));
      case 6 -> new ScalarValue.BytesValue(Bytes.wrap(new byte[rnd.nextInt(40)]));
      case 7 -> new ScalarValue.Counter(rnd.nextInt());
      case 8 -> new ScalarValue.Timestamp(rnd.nextLong() >> 20);
      case 9 -> new ScalarValue.Str("");
      default -> new ScalarValue.Str(String.valueOf((char) ('a' + rnd.nextInt(26))));
    };
  }

  private static String randomString(Random rnd) {
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(4) == 0 ? 200 : rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      b.appendCodePoint(rnd.nextInt(8) == 0 ? 0x1F600 + rnd.nextInt(50) : 'a' + rnd.nextInt(26));
    }
    return b.toString();
  }
}
