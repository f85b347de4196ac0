package dev.loam.interop;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A file split into chunks, with each document chunk's sections written out as text and its
 * compressed columns inflated: two files are canonically equal when these texts are equal.
 * Independent of Loam's codec on purpose (a differential test should not trust the code under
 * test to parse its own output).
 */
final class DocumentChunkSections {
  private DocumentChunkSections() {}

  /** One line per section or column; change chunks as hex. */
  static List<String> describe(byte[] file) {
    List<String> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < file.length) {
      int start = pos[0];
      pos[0] += 8; // magic, checksum
      int type = file[pos[0]++] & 0xff;
      long len = uleb(file, pos);
      int bodyEnd = (int) (pos[0] + len);
      if (type != 0) {
        out.add("change chunk " + HexFormat.of().formatHex(file, start, bodyEnd));
      } else {
        document(file, pos, bodyEnd, out);
      }
      pos[0] = bodyEnd;
    }
    return out;
  }

  private static void document(byte[] b, int[] pos, int end, List<String> out) {
    long actors = uleb(b, pos);
    for (long i = 0; i < actors; i++) {
      int n = (int) uleb(b, pos);
      out.add("actor " + HexFormat.of().formatHex(b, pos[0], pos[0] + n));
      pos[0] += n;
    }
    long heads = uleb(b, pos);
    for (long i = 0; i < heads; i++) {
      out.add("head " + HexFormat.of().formatHex(b, pos[0], pos[0] + 32));
      pos[0] += 32;
    }
    long[][] changeMeta = meta(b, pos);
    long[][] opMeta = meta(b, pos);
    columns("change", b, pos, changeMeta, out);
    columns("op", b, pos, opMeta, out);
    out.add("heads index " + HexFormat.of().formatHex(b, pos[0], end));
  }

  private static long[][] meta(byte[] b, int[] pos) {
    int n = (int) uleb(b, pos);
    long[][] m = new long[n][];
    for (int i = 0; i < n; i++) {
      m[i] = new long[] {uleb(b, pos), uleb(b, pos)};
    }
    return m;
  }

  private static void columns(String what, byte[] b, int[] pos, long[][] meta, List<String> out) {
    for (long[] m : meta) {
      int len = (int) m[1];
      byte[] data = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len);
      pos[0] += len;
      boolean deflated = (m[0] & 8) != 0;
      if (deflated) {
        data = inflate(data);
      }
      out.add(what + " column " + (m[0] & ~8L) + (deflated ? " deflated " : " raw ") + HexFormat.of().formatHex(data));
    }
  }

  private static byte[] inflate(byte[] data) {
    Inflater inf = new Inflater(true);
    inf.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("bad deflate stream", e);
    } finally {
      inf.end();
    }
    return out.toByteArray();
  }

  private static long uleb(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b[pos[0]++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}
