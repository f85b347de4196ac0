package dev.loam.secure;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Base58 with the Bitcoin alphabet: a byte string as a big-endian base-58 number, each leading zero
 * byte written as one leading {@code '1'}. Stateless and thread-safe.
 *
 * <p>Works digit by digit on byte arrays (schoolbook long division by 58 for encoding, multiply
 * and add for decoding): the inputs are member ids of under a hundred characters.
 */
final class Base58 {
  static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private Base58() {}

  static String encode(byte[] data) {
    int leading = 0;
    while (leading < data.length && data[leading] == 0) {
      leading++;
    }
    byte[] number = Arrays.copyOfRange(data, leading, data.length);
    char[] digits = new char[data.length * 2];
    int next = digits.length;
    int start = 0;
    while (start < number.length) {
      int remainder = 0;
      for (int i = start; i < number.length; i++) {
        int acc = (remainder << 8) | (number[i] & 0xff);
        number[i] = (byte) (acc / 58);
        remainder = acc % 58;
      }
      digits[--next] = ALPHABET.charAt(remainder);
      while (start < number.length && number[start] == 0) {
        start++;
      }
    }
    return "1".repeat(leading) + new String(digits, next, digits.length - next);
  }

  /** The index of the first character of {@code text} outside the alphabet, if any. */
  static OptionalInt firstInvalid(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** The bytes {@code text} encodes, or empty if a character is outside the alphabet. */
  static Optional<byte[]> decode(String text) {
    if (firstInvalid(text).isPresent()) {
      return Optional.empty();
    }
    int leading = 0;
    while (leading < text.length() && text.charAt(leading) == '1') {
      leading++;
    }
    byte[] value = new byte[text.length()]; // little-endian, wide enough: log(58) < log(256)
    int used = 0;
    for (int c = leading; c < text.length(); c++) {
      int carry = ALPHABET.indexOf(text.charAt(c));
      for (int i = 0; i < used; i++) {
        int acc = (value[i] & 0xff) * 58 + carry;
        value[i] = (byte) acc;
        carry = acc >>> 8;
      }
      while (carry > 0) {
        value[used++] = (byte) carry;
        carry >>>= 8;
      }
    }
    byte[] out = new byte[leading + used];
    for (int i = 0; i < used; i++) {
      out[out.length - 1 - i] = value[i];
    }
    return Optional.of(out);
  }
}
