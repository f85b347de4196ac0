package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.DecodeException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Leb128Test {
  @Test
  void workedExamplesEncodeToKnownBytes() {
    assertEquals("ac02", Fixtures.hex(Leb128.unsigned(300)));
    assertEquals("00", Fixtures.hex(Leb128.unsigned(0)));
    assertEquals("ffffffffffffffffff01", Fixtures.hex(Leb128.unsigned(-1L)));
    assertEquals("7e", Fixtures.hex(Leb128.signed(-2)));
    assertEquals("c000", Fixtures.hex(Leb128.signed(64)));
    assertEquals("3f", Fixtures.hex(Leb128.signed(63)));
    assertEquals("807f", Fixtures.hex(Leb128.signed(-128)));
    assertEquals("8080808080808080807f", Fixtures.hex(Leb128.signed(Long.MIN_VALUE)));
  }

  @Test
  void randomValuesRoundTripAndMatchANaiveModel() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int i = 0; i < 5000; i++) {
        long v = rnd.nextLong() >> rnd.nextInt(64);
        byte[] u = Leb128.unsigned(v);
        assertEquals(naiveUnsigned(v), Fixtures.hex(u), "seed " + seed);
        assertEquals(v, ByteReader.of(u).readUleb(), "seed " + seed);
        byte[] s = Leb128.signed(v);
        ByteReader r = ByteReader.of(s);
        assertEquals(v, r.readSleb(), "seed " + seed + " value " + v);
        assertTrue(r.atEnd());
      }
    }
  }

  /** The textbook algorithm over BigInteger-free unsigned arithmetic. */
  private static String naiveUnsigned(long v) {
    StringBuilder sb = new StringBuilder();
    java.math.BigInteger x = new java.math.BigInteger(Long.toUnsignedString(v));
    java.math.BigInteger b128 = java.math.BigInteger.valueOf(128);
    do {
      int low = x.mod(b128).intValue();
      x = x.divide(b128);
      if (x.signum() != 0) {
        low |= 0x80;
      }
      sb.append(String.format("%02x", low));
    } while (x.signum() != 0);
    return sb.toString();
  }

  @Test
  void overlongUnsignedIsRejected() {
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("8000")).readUleb());
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("ff00")).readUleb());
  }

  @Test
  void overlongSignedIsRejected() {
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("8000")).readSleb());
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("ff7f")).readSleb());
    assertEquals(64, ByteReader.of(Fixtures.unhex("c000")).readSleb());
  }

  @Test
  void tooLargeLebIsRejected() {
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("ffffffffffffffffff02")).readUleb());
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("ffffffffffffffffff8101")).readUleb());
    assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("80808080808080808001")).readSleb());
  }

  @Test
  void lebCutShortIsRejectedWithItsOffset() {
    DecodeException e = assertThrows(DecodeException.class, () -> ByteReader.of(Fixtures.unhex("ff00")).slice(1, "x").readUleb());
    assertEquals(0, e.offset());
    ByteReader r = ByteReader.of(Fixtures.unhex("0080"));
    r.readByte();
    assertEquals(1, assertThrows(DecodeException.class, r::readUleb).offset());
  }

  @Test
  void declaredLengthBeyondTheInputIsRejectedBeforeAllocating() {
    ByteReader r = ByteReader.of(Fixtures.unhex("ffffffffffffffff7f00"));
    assertThrows(DecodeException.class, () -> r.readLength("a length"));
  }
}
