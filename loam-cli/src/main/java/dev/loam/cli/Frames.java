package dev.loam.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Length-prefixed frames over a byte stream, as {@code loam doc sync-stdio} speaks them.
 *
 * <pre>
 * +-----------------+-------------------------------+
 * | length          | unsigned LEB128, minimal form |
 * | payload         | length bytes                  |
 * +-----------------+-------------------------------+
 * </pre>
 *
 * A reader refuses a frame longer than its limit before reading its payload, so a peer cannot make
 * it allocate more than the limit. Not thread-safe: one reader and one writer per stream.
 */
final class Frames {
  private Frames() {}

  /** A malformed or oversized frame: the session cannot continue. */
  static final class ProtocolException extends IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  /**
   * The next frame's payload, or null when the input ends cleanly between frames.
   *
   * @throws ProtocolException for a malformed length, a length above {@code maxLength}, or an
   *     input that ends inside a frame
   */
  static byte[] read(InputStream in, int maxLength) throws IOException {
    long length = 0;
    int shift = 0;
    int b;
    int count = 0;
    while (true) {
      b = in.read();
      if (b < 0) {
        if (count == 0) {
          return null;
        }
        throw new ProtocolException("the input ended inside a frame length");
      }
      count++;
      length |= (long) (b & 0x7f) << shift;
      if (length > maxLength) {
        throw new ProtocolException("a frame longer than the limit of " + maxLength + " bytes (see --max-message-bytes)");
      }
      if ((b & 0x80) == 0) {
        break;
      }
      if (count == 5) {
        throw new ProtocolException("a frame length longer than 5 LEB128 bytes");
      }
      shift += 7;
    }
    if (count > 1 && b == 0) {
      throw new ProtocolException("a frame length not in minimal LEB128 form (a trailing zero byte)");
    }
    byte[] payload = new byte[(int) length];
    int off = 0;
    while (off < payload.length) {
      int n = in.read(payload, off, payload.length - off);
      if (n < 0) {
        throw new ProtocolException("the input ended inside a frame (" + off + " of " + length + " bytes)");
      }
      off += n;
    }
    return payload;
  }

  /** Writes one frame and flushes. */
  static void write(OutputStream out, byte[] payload) throws IOException {
    byte[] header = new byte[5];
    int n = 0;
    long v = payload.length;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      header[n++] = (byte) (v != 0 ? b | 0x80 : b);
    } while (v != 0);
    out.write(header, 0, n);
    out.write(payload);
    out.flush();
  }
}
