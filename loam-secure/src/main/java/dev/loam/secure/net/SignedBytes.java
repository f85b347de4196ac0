package dev.loam.secure.net;

import dev.loam.Bytes;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds the bytes a request signature covers: an ASCII domain, then each field in order (numbers
 * as 8 bytes big-endian, keys as their 32 bytes, byte strings and UTF-8 text with a 4-byte length
 * first), so that no two different field lists give the same bytes. Not thread-safe.
 */
final class SignedBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  SignedBytes(String domain) {
    out.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
  }

  SignedBytes key(Ed25519PublicKey key) {
    out.writeBytes(key.toBytes());
    return this;
  }

  SignedBytes bytes(Bytes b) {
    out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(b.size()).array());
    out.writeBytes(b.toByteArray());
    return this;
  }

  SignedBytes number(long n) {
    out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
    return this;
  }

  SignedBytes text(String s) {
    return bytes(Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] done() {
    return out.toByteArray();
  }
}
