package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HkdfTest {
  static List<Vectors.Vector> rfc5869() {
    return Vectors.load("hkdf-rfc5869.txt");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5869")
  void extractsAndExpandsAsRfc5869(Vectors.Vector v) {
    byte[] prk = Hkdf.extract(v.hex("salt"), v.hex("ikm"));
    assertArrayEquals(v.hex("prk"), prk);
    assertArrayEquals(v.hex("okm"), Hkdf.expand(prk, v.hex("info"), v.integer("length")));
    assertArrayEquals(v.hex("okm"), Hkdf.derive(v.hex("salt"), v.hex("ikm"), v.hex("info"), v.integer("length")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5869")
  void aShorterOutputIsAPrefixOfTheLongerOne(Vectors.Vector v) {
    byte[] okm = v.hex("okm");
    for (int length : new int[] {0, 1, 31, 32, 33}) {
      assertArrayEquals(Arrays.copyOf(okm, length), Hkdf.expand(v.hex("prk"), v.hex("info"), length), "length " + length);
    }
  }

  @Test
  void refusesOutOfRangeLengthsAndShortKeys() {
    byte[] prk = new byte[Hkdf.HASH_LENGTH];
    assertEquals(Hkdf.MAX_OUTPUT, Hkdf.expand(prk, new byte[0], Hkdf.MAX_OUTPUT).length);
    assertThrows(CryptoException.class, () -> Hkdf.expand(prk, new byte[0], Hkdf.MAX_OUTPUT + 1));
    assertThrows(CryptoException.class, () -> Hkdf.expand(prk, new byte[0], -1));
    assertThrows(CryptoException.class, () -> Hkdf.expand(new byte[Hkdf.HASH_LENGTH - 1], new byte[0], 16));
  }
}
