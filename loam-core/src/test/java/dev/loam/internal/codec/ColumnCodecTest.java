package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.Bytes;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import dev.loam.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Worked examples from the format reference (§A.6) and property tests against naive models. */
class ColumnCodecTest {

  // ---- worked examples ----

  @Test
  void rleSpecExampleEncodesExactly() {
    assertEquals("03000002 7d010203".replace(" ", ""), Fixtures.hex(rle(false, 0L, 0L, 0L, null, null, 1L, 2L, 3L)));
  }

  @Test
  void deltaSpecExampleEncodesExactly() {
    DeltaColumn.Encoder e = new DeltaColumn.Encoder();
    for (long v : new long[] {3, 4, 5, 6, 9, 7, 8}) {
      e.append(v);
    }
    assertEquals("7f0303017d037e01", Fixtures.hex(e.finish()));
  }

  @Test
  void booleanSpecExampleEncodesExactly() {
    BooleanColumn.Encoder e = new BooleanColumn.Encoder();
    for (boolean b : new boolean[] {true, true, false, false, false}) {
      e.append(b);
    }
    assertEquals("000203", Fixtures.hex(e.finish()));
  }

  @Test
  void allNullColumnIsEmptyButLeadingNullsBeforeValuesAreWritten() {
    assertEquals("", Fixtures.hex(rle(false, null, null, null)));
    assertEquals("00027f05", Fixtures.hex(rle(false, null, null, 5L)));
    assertEquals("7f050002", Fixtures.hex(rle(false, 5L, null, null)));
    assertEquals("7e010202 03".replace(" ", ""), Fixtures.hex(rle(false, 1L, 2L, 3L, 3L)));
  }

  @Test
  void valueMetadataExamplesMatchTheReference() {
    ValueColumn.Encoder e = new ValueColumn.Encoder();
    e.append(ScalarValue.of(5));
    e.append(ScalarValue.of("a"));
    e.append(ScalarValue.of(1.5));
    assertEquals("7d1416 8501".replace(" ", ""), Fixtures.hex(e.finishMeta()));
    assertEquals("0561000000000000f83f", Fixtures.hex(e.finishRaw()));
  }

  @Test
  void emptyStringIsAValueNotANull() {
    StringColumn.Encoder e = new StringColumn.Encoder();
    e.append("");
    assertEquals("7f00", Fixtures.hex(e.finish()));
  }

  // ---- property tests ----

  @Test
  void rleRoundTripsAndMatchesTheNaiveCanonicalModel() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int t = 0; t < 300; t++) {
        boolean signed = rnd.nextBoolean();
        List<Long> values = randomLongs(rnd, signed);
        RleColumn.Encoder e = new RleColumn.Encoder(signed);
        for (Long v : values) {
          if (v == null) e.appendNull(); else e.append(v);
        }
        byte[] bytes = e.finish();
        assertEquals(Fixtures.hex(naiveRle(values, signed)), Fixtures.hex(bytes), "seed " + seed + " " + values);
        boolean allNull = values.stream().allMatch(Objects::isNull);
        RleColumn.Decoder d = new RleColumn.Decoder(allNull ? null : ByteReader.of(bytes), signed, values.size(), "c");
        for (Long v : values) {
          boolean nonNull = d.next();
          assertEquals(v, nonNull ? (Long) d.value() : null, "seed " + seed);
        }
        d.finish();
        if (!allNull) {
          assertEquals(values.size(), RleColumn.countRows(ByteReader.of(bytes), signed ? 's' : 'u', Long.MAX_VALUE, "c"));
        }
      }
    }
  }

  @Test
  void deltaRoundTripsAndMatchesTheNaiveModel() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int t = 0; t < 300; t++) {
        List<Long> values = randomLongs(rnd, true);
        DeltaColumn.Encoder e = new DeltaColumn.Encoder();
        List<Long> deltas = new ArrayList<>();
        long prev = 0;
        for (Long v : values) {
          if (v == null) {
            e.appendNull();
            deltas.add(null);
          } else {
            e.append(v);
            deltas.add(v - prev);
            prev = v;
          }
        }
        byte[] bytes = e.finish();
        assertEquals(Fixtures.hex(naiveRle(deltas, true)), Fixtures.hex(bytes), "seed " + seed);
        boolean allNull = values.stream().allMatch(Objects::isNull);
        DeltaColumn.Decoder d = new DeltaColumn.Decoder(allNull ? null : ByteReader.of(bytes), values.size(), "c");
        for (Long v : values) {
          boolean nonNull = d.next();
          assertEquals(v, nonNull ? (Long) d.value() : null, "seed " + seed);
        }
        d.finish();
      }
    }
  }

  @Test
  void booleanRoundTripsAndMatchesTheNaiveModel() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int t = 0; t < 300; t++) {
        int n = rnd.nextInt(40);
        boolean[] v = new boolean[n];
        BooleanColumn.Encoder e = new BooleanColumn.Encoder();
        for (int i = 0; i < n; i++) {
          v[i] = rnd.nextInt(3) == 0;
          e.append(v[i]);
        }
        byte[] bytes = e.finish();
        // Naive: lengths of maximal runs, alternating from false.
        ByteWriter w = new ByteWriter();
        boolean cur = false;
        int i = 0;
        while (i < n) {
          int run = 0;
          while (i < n && v[i] == cur) {
            run++;
            i++;
          }
          w.writeUleb(run);
          cur = !cur;
        }
        assertEquals(Fixtures.hex(w.toByteArray()), Fixtures.hex(bytes), "seed " + seed);
        BooleanColumn.Decoder d = new BooleanColumn.Decoder(ByteReader.of(bytes), n, "c");
        for (int k = 0; k < n; k++) {
          assertEquals(v[k], d.next(), "seed " + seed);
        }
        d.finish();
      }
    }
  }

  @Test
  void stringRleRoundTripsAndMatchesTheNaiveModel() {
    String[] alphabet = {"", "a", "b", "héllo", "🌍"};
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int t = 0; t < 300; t++) {
        int n = rnd.nextInt(30);
        List<String> values = new ArrayList<>();
        StringColumn.Encoder e = new StringColumn.Encoder();
        for (int i = 0; i < n; i++) {
          String s = rnd.nextInt(4) == 0 ? null : alphabet[rnd.nextInt(alphabet.length)];
          values.add(s);
          e.appendNullable(s);
        }
        byte[] bytes = e.finish();
        boolean allNull = values.stream().allMatch(Objects::isNull);
        StringColumn.Decoder d = new StringColumn.Decoder(allNull ? null : ByteReader.of(bytes), n, "c");
        for (String s : values) {
          assertEquals(s, d.next(), "seed " + seed + " " + values);
        }
        d.finish();
        // Same shape as the integer model: map each distinct string to a number.
        List<Long> asLongs = values.stream().map(s -> s == null ? null : (long) List.of(alphabet).indexOf(s)).toList();
        assertEquals(allNull, Fixtures.hex(naiveRle(new ArrayList<>(asLongs), false)).isEmpty(), "seed " + seed);
      }
    }
  }

  @Test
  void valuesOfEveryTypeRoundTripIncludingUnknownCodes() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      List<ScalarValue> values = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        values.add(switch (rnd.nextInt(12)) {
          case 0 -> ScalarValue.NULL;
          case 1 -> ScalarValue.of(rnd.nextBoolean());
          case 2 -> ScalarValue.uint(rnd.nextLong());
          case 3 -> ScalarValue.of(rnd.nextLong() >> rnd.nextInt(64));
          case 4 -> ScalarValue.of(rnd.nextDouble() * 1e6);
          case 5 -> ScalarValue.of("s" + rnd.nextInt(1000) + (rnd.nextBoolean() ? "é🌍" : ""));
          case 6 -> ScalarValue.bytes(new byte[] {(byte) rnd.nextInt(), 2});
          case 7 -> ScalarValue.counter(rnd.nextLong() >> 20);
          case 8 -> ScalarValue.timestamp(rnd.nextLong() >> 20);
          case 9 -> new ScalarValue.Unknown(10 + rnd.nextInt(6), Bytes.wrap(new byte[rnd.nextInt(4)]));
          case 10 -> ScalarValue.of("x");
          default -> ScalarValue.of(-1);
        });
      }
      ValueColumn.Encoder e = new ValueColumn.Encoder();
      values.forEach(e::append);
      byte[] meta = e.finishMeta();
      byte[] raw = e.finishRaw();
      ValueColumn.Decoder d = new ValueColumn.Decoder(ByteReader.of(meta), ByteReader.of(raw), values.size(), "v");
      for (ScalarValue v : values) {
        assertEquals(v, d.next(), "seed " + seed);
      }
      d.finish();
    }
  }

  // ---- rejections ----

  @Test
  void rleRunLongerThanColumnIsRejected() {
    byte[] run = Fixtures.unhex("0501"); // five 1s
    RleColumn.Decoder d = new RleColumn.Decoder(ByteReader.of(run), false, 3, "c");
    assertThrows(DecodeException.class, d::next);
  }

  @Test
  void giantNullRunIsRejectedWithoutExpanding() {
    ByteWriter w = new ByteWriter();
    w.writeSleb(0).writeUleb(1L << 60);
    byte[] bytes = w.toByteArray();
    long t0 = System.nanoTime();
    assertThrows(DecodeException.class, () -> new RleColumn.Decoder(ByteReader.of(bytes), false, 10, "c").next());
    assertThrows(DecodeException.class, () -> RleColumn.countRows(ByteReader.of(bytes), 'u', 1 << 24, "c"));
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
  }

  @Test
  void columnEndingBeforeItsRowsIsRejected() {
    RleColumn.Decoder d = new RleColumn.Decoder(ByteReader.of(Fixtures.unhex("7f01")), false, 2, "c");
    d.next();
    assertThrows(DecodeException.class, d::next);
  }

  @Test
  void columnWithRowsBeyondItsCountIsRejected() {
    RleColumn.Decoder d = new RleColumn.Decoder(ByteReader.of(Fixtures.unhex("7f017f02")), false, 1, "c");
    d.next();
    assertThrows(DecodeException.class, d::finish);
  }

  @Test
  void valueWhoseMetaLengthDisagreesWithItsBytesIsRejected() {
    // counter (8) claiming 2 bytes, holding a 1-byte sLEB and a stray byte
    ValueColumn.Decoder d = new ValueColumn.Decoder(ByteReader.of(Fixtures.unhex("7f28")), ByteReader.of(Fixtures.unhex("0500")), 1, "v");
    assertThrows(DecodeException.class, d::next);
  }

  @Test
  void valueLengthBeyondTheRawColumnIsRejected() {
    ByteWriter meta = new ByteWriter();
    meta.writeSleb(-1).writeUleb((1L << 40) << 4 | 7);
    ValueColumn.Decoder d = new ValueColumn.Decoder(ByteReader.of(meta.toByteArray()), ByteReader.of(new byte[3]), 1, "v");
    assertThrows(DecodeException.class, d::next);
  }

  @Test
  void invalidUtf8StringIsRejected() {
    StringColumn.Decoder d = new StringColumn.Decoder(ByteReader.of(Fixtures.unhex("7f01ff")), 1, "s");
    assertThrows(DecodeException.class, d::next);
  }

  @Test
  void unsortedColumnsAreRejected() {
    ByteReader r = ByteReader.of(Fixtures.unhex("02 4200 3400".replace(" ", "")));
    assertThrows(DecodeException.class, () -> ColumnLayout.read(r, false, "ops"));
  }

  @Test
  void deflatedColumnInAChangeIsRejectedButAllowedInADocument() {
    assertThrows(DecodeException.class, () -> ColumnLayout.read(ByteReader.of(Fixtures.unhex("014a00")), false, "ops"));
    assertEquals(1, ColumnLayout.read(ByteReader.of(Fixtures.unhex("014a00")), true, "ops").count());
  }

  @Test
  void inflationStopsAtItsLimit() {
    byte[] zeros = new byte[1 << 20];
    byte[] z = Deflate.deflate(zeros);
    assertEquals(zeros.length, Deflate.inflate(z, 0, z.length, 1 << 20, 0, "c").length);
    assertThrows(DecodeException.class, () -> Deflate.inflate(z, 0, z.length, 4096, 0, "c"));
    assertThrows(DecodeException.class, () -> Deflate.inflate(z, 0, z.length / 2, 1 << 20, 0, "c"));
  }

  @TestFactory
  Stream<DynamicTest> columnsDeflatedInBlocksInflateBackAndStayAsSmallAsOneStream() {
    return Seeds.tests("block deflate", seed -> {
      Random r = new Random(seed);
      List<byte[]> columns = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        // text-like runs with noise: what a document's value and key columns hold
        int len = c == 0 ? 300 + r.nextInt(Deflate.BLOCK) : Deflate.BLOCK - 100 + r.nextInt(2 * Deflate.BLOCK + 200);
        byte[] col = new byte[len];
        for (int i = 0; i < len; i++) {
          col[i] = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : (byte) ('a' + (i / (1 + r.nextInt(3))) % 26);
        }
        columns.add(col);
      }
      List<byte[]> out = Deflate.deflateAll(columns);
      assertEquals(columns.size(), out.size());
      for (int c = 0; c < columns.size(); c++) {
        byte[] col = columns.get(c);
        byte[] z = out.get(c);
        assertArrayEquals(col, Deflate.inflate(z, 0, z.length, 1 << 24, 0, "c"), "column " + c);
        byte[] oneStream = jdkDeflate(col);
        if (col.length <= Deflate.BLOCK) {
          assertArrayEquals(oneStream, z, "column " + c + " of one block");
        } else {
          assertTrue(z.length <= oneStream.length * 1.01, "column " + c + ": " + z.length + " vs " + oneStream.length);
        }
      }
    });
  }

  /** The reference: one raw DEFLATE stream at the default level, straight from java.util.zip. */
  private static byte[] jdkDeflate(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      d.finish();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  // ---- helpers ----

  private static byte[] rle(boolean signed, Long... values) {
    RleColumn.Encoder e = new RleColumn.Encoder(signed);
    for (Long v : values) {
      if (v == null) e.appendNull(); else e.append(v);
    }
    return e.finish();
  }

  private static List<Long> randomLongs(Random rnd, boolean signed) {
    int n = rnd.nextInt(40);
    long[] pool = {0, 1, 2, signed ? -3 : 3, 300, signed ? -(1L << 40) : -1L};
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = rnd.nextInt(pool.length + 1);
      out.add(k == pool.length ? null : pool[k]);
    }
    return out;
  }

  /**
   * The canonical encoding built from the definition, not the state machine: split into maximal
   * blocks of equal values; a null block is a null run, a block of two or more is a repeat run,
   * consecutive single values form one literal run; a column of nulls only is empty.
   */
  static byte[] naiveRle(List<Long> values, boolean signed) {
    ByteWriter w = new ByteWriter();
    if (values.stream().allMatch(Objects::isNull)) {
      return new byte[0];
    }
    List<Long> literal = new ArrayList<>();
    int i = 0;
    while (i < values.size()) {
      int j = i;
      while (j < values.size() && Objects.equals(values.get(j), values.get(i))) {
        j++;
      }
      int len = j - i;
      Long v = values.get(i);
      if (v != null && len == 1) {
        literal.add(v);
      } else {
        flush(w, literal, signed);
        if (v == null) {
          w.writeSleb(0).writeUleb(len);
        } else {
          w.writeSleb(len);
          put(w, v, signed);
        }
      }
      i = j;
    }
    flush(w, literal, signed);
    return w.toByteArray();
  }

  private static void flush(ByteWriter w, List<Long> literal, boolean signed) {
    if (!literal.isEmpty()) {
      w.writeSleb(-literal.size());
      for (long v : literal) {
        put(w, v, signed);
      }
      literal.clear();
    }
  }

  private static void put(ByteWriter w, long v, boolean signed) {
    if (signed) w.writeSleb(v); else w.writeUleb(v);
  }
}
