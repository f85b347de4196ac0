package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DigestsTest {
  static List<Vectors.Vector> fips180() {
    return Vectors.load("sha256-fips180.txt");
  }

  static List<Vectors.Vector> rfc7914() {
    return Vectors.load("pbkdf2-sha256-rfc7914.txt");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fips180")
  void hashesThePublishedSha256Examples(Vectors.Vector v) {
    assertArrayEquals(v.hex("digest"), Digests.sha256(v.ascii("message")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7914")
  void derivesTheRfc7914Pbkdf2Keys(Vectors.Vector v) {
    char[] password = v.text("password").toCharArray();
    byte[] dk = v.hex("dk");
    assertArrayEquals(dk, Digests.pbkdf2HmacSha256(password, v.ascii("salt"), v.integer("iterations"), dk.length));
    assertArrayEquals(v.text("password").toCharArray(), password, "the caller's password array is left as it was");
  }

  @Test
  void refusesEmptySaltsAndNonPositiveCounts() {
    char[] password = "p".toCharArray();
    assertThrows(CryptoException.class, () -> Digests.pbkdf2HmacSha256(password, new byte[0], 1, 32));
    assertThrows(CryptoException.class, () -> Digests.pbkdf2HmacSha256(password, new byte[8], 0, 32));
    assertThrows(CryptoException.class, () -> Digests.pbkdf2HmacSha256(password, new byte[8], 1, 0));
  }
}
