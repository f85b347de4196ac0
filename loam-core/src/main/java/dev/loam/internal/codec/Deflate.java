package dev.loam.internal.codec;

import dev.loam.DecodeException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Raw DEFLATE (RFC 1951, no zlib or gzip wrapper), as Automerge compresses columns and changes. */
final class Deflate {
  /** Default ceiling on the inflated size of one chunk's compressed data: 256 MiB. */
  static final long DEFAULT_LIMIT = 256L << 20;

  private Deflate() {}

  static byte[] deflate(byte[] data) {
    // a Deflater holds native buffers of a few hundred KiB: one per thread, reset between columns
    Deflater d = DEFLATER.get();
    try {
      d.setInput(data);
      d.finish();
      ByteWriter out = new ByteWriter(data.length / 2 + 16);
      byte[] buf = new byte[8192];
      while (!d.finished()) {
        int n = d.deflate(buf);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } finally {
      d.reset();
    }
  }

  private static final ThreadLocal<Deflater> DEFLATER =
      ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

  /**
   * Inflates {@code in[from, from+len)}, stopping with an error as soon as the output would pass
   * {@code limit} bytes.
   *
   * @param at the absolute offset of the compressed bytes, for errors
   */
  static byte[] inflate(byte[] in, int from, int len, long limit, long at, String what) {
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(in, from, len);
      byte[] out = new byte[(int) Math.min(Math.max(64, (long) len * 4), Math.max(64, limit))];
      int size = 0;
      while (!inf.finished()) {
        if (size == out.length) {
          if (size >= limit) {
            throw new DecodeException(at, what + ": at most " + limit + " bytes once inflated");
          }
          out = Arrays.copyOf(out, (int) Math.min(Math.min((long) size * 2, limit), Integer.MAX_VALUE - 8));
        }
        int n = inf.inflate(out, size, out.length - size);
        size += n;
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new DecodeException(at, what + ": a complete deflate stream");
        }
      }
      if (inf.getRemaining() != 0) {
        throw new DecodeException(at, what + ": no bytes after the end of the deflate stream");
      }
      return Arrays.copyOf(out, size);
    } catch (DataFormatException e) {
      throw new DecodeException(at, what + ": a valid deflate stream (" + e.getMessage() + ")", e);
    } finally {
      inf.end();
    }
  }
}
