package dev.loam.internal.codec;

import dev.loam.DecodeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw DEFLATE (RFC 1951, no zlib or gzip wrapper), as Automerge compresses columns and changes.
 *
 * <p>{@link #deflateAll} compresses a document's columns on the caller's thread and, when the
 * input is large, the common fork-join pool as well: columns of more than {@link #BLOCK} bytes are
 * cut into blocks of that size, each compressed with the 32 KiB before it as preset dictionary and
 * ended with a sync flush (as pigz does), so the blocks join into one stream. The cut depends on
 * the sizes alone, so the output is the same on any number of cores.
 */
final class Deflate {
  /** Default ceiling on the inflated size of one chunk's compressed data: 256 MiB. */
  static final long DEFAULT_LIMIT = 256L << 20;
  /** Input bytes per independently compressed block of a large column. */
  static final int BLOCK = 256 << 10;
  /** The window DEFLATE matches within: how much of the previous block a block sees. */
  private static final int WINDOW = 32 << 10;
  /** Below this many input bytes in all, {@link #deflateAll} stays on the caller's thread. */
  private static final int PARALLEL_MIN = 16 << 10;

  private Deflate() {}

  static byte[] deflate(byte[] data) {
    return deflateBlock(data, 0, data.length, true);
  }

  /** Each of {@code columns} deflated into one raw stream, in order. */
  static List<byte[]> deflateAll(List<byte[]> columns) {
    List<int[]> blocks = new ArrayList<>();
    long total = 0;
    for (int c = 0; c < columns.size(); c++) {
      int len = columns.get(c).length;
      total += len;
      for (int from = 0; from < len || from == 0; from += BLOCK) {
        blocks.add(new int[] {c, from, Math.min(BLOCK, len - from)});
      }
    }
    boolean parallel = total >= PARALLEL_MIN && blocks.size() > 1 && Runtime.getRuntime().availableProcessors() > 1;
    IntStream ids = IntStream.range(0, blocks.size());
    List<byte[]> parts = (parallel ? ids.parallel() : ids).mapToObj(i -> {
      int[] b = blocks.get(i);
      byte[] col = columns.get(b[0]);
      return deflateBlock(col, b[1], b[2], b[1] + b[2] == col.length);
    }).toList();
    List<byte[]> out = new ArrayList<>(columns.size());
    ByteWriter joined = null;
    for (int i = 0; i < blocks.size(); i++) {
      int[] b = blocks.get(i);
      boolean first = b[1] == 0;
      boolean last = b[1] + b[2] == columns.get(b[0]).length;
      if (first && last) {
        out.add(parts.get(i));
        continue;
      }
      if (first) {
        joined = new ByteWriter(parts.get(i).length * 4);
      }
      joined.write(parts.get(i));
      if (last) {
        out.add(joined.toByteArray());
      }
    }
    return out;
  }

  /**
   * {@code data[from, from+len)} deflated, primed with the window before {@code from}; the last
   * block of a stream is finished, the others end with a sync flush (byte-aligned, not final).
   */
  private static byte[] deflateBlock(byte[] data, int from, int len, boolean last) {
    // a Deflater holds native buffers of a few hundred KiB: one per thread, reset between blocks
    Deflater d = DEFLATER.get();
    try {
      if (from > 0) {
        int dict = Math.min(WINDOW, from);
        d.setDictionary(data, from - dict, dict);
      }
      d.setInput(data, from, len);
      ByteWriter out = new ByteWriter(len / 2 + 16);
      byte[] buf = new byte[16384];
      if (last) {
        d.finish();
        while (!d.finished()) {
          out.write(buf, 0, d.deflate(buf));
        }
      } else {
        int n;
        do {
          n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
          out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
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
