package dev.loam.internal.codec;

import dev.loam.DecodeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The column metadata of a change or document chunk, and later the columns' data.
 *
 * <pre>
 * +--------------+------------------------------------------------+
 * | uLEB count   | number of columns                              |
 * | count x      | uLEB spec, uLEB byte length                    |
 * +--------------+------------------------------------------------+
 * spec = (columnId &lt;&lt; 4) | deflate(8) | type(0-7)
 * </pre>
 *
 * The data of the columns follows later, in the same order, with no separators. Specs must be in
 * strictly ascending order with the deflate bit masked off; the deflate bit is allowed in
 * document chunks only. Unknown specs are kept and ignored by the decoders.
 */
final class ColumnLayout {
  static final int DEFLATE_BIT = 8;

  private final int[] specs;
  private final long[] lengths;
  private final long[] offsets;
  private final long total;

  private ColumnLayout(int[] specs, long[] lengths, long[] offsets, long total) {
    this.specs = specs;
    this.lengths = lengths;
    this.offsets = offsets;
    this.total = total;
  }

  static ColumnLayout read(ByteReader in, boolean deflateAllowed, String what) {
    long at = in.offset();
    // Each column takes at least two metadata bytes, so the count is bounded by what is left.
    int count = (int) in.readUleb(0, in.remaining() / 2, what, " column count");
    int[] specs = new int[count];
    long[] lengths = new long[count];
    long[] offsets = new long[count];
    long total = 0;
    int prev = -1;
    for (int i = 0; i < count; i++) {
      long specAt = in.offset();
      int spec = (int) in.readUleb(0, Integer.MAX_VALUE, what, " column spec");
      long length = in.readUleb(0, Integer.MAX_VALUE, what, " column length");
      if ((spec & DEFLATE_BIT) != 0 && !deflateAllowed) {
        throw new DecodeException(specAt, what + ": an uncompressed column (compressed columns are only allowed in documents)");
      }
      int normal = spec & ~DEFLATE_BIT;
      if (normal <= prev) {
        throw new DecodeException(specAt, what + ": columns in normalized (ascending) order");
      }
      prev = normal;
      specs[i] = spec;
      lengths[i] = length;
      offsets[i] = total;
      total += length;
    }
    if (total > Integer.MAX_VALUE) {
      throw new DecodeException(at, what + ": columns of at most 2 GiB in all");
    }
    return new ColumnLayout(specs, lengths, offsets, total);
  }

  int count() {
    return specs.length;
  }

  /** The spec of column {@code i} as stored, deflate bit included. */
  int spec(int i) {
    return specs[i];
  }

  /** The stored (possibly deflated) byte length of column {@code i}. */
  long length(int i) {
    return lengths[i];
  }

  long totalLength() {
    return total;
  }

  /**
   * Takes this layout's data from {@code in} (checking it is all there first) and returns one
   * reader per column, inflating compressed columns within {@code inflateLimit} bytes in all.
   */
  Columns bind(ByteReader in, long inflateLimit, String what) {
    in.require(total, what + " column data");
    ByteReader[] readers = new ByteReader[specs.length];
    long budget = inflateLimit;
    for (int i = 0; i < specs.length; i++) {
      long at = in.offset();
      // within the data required above: the slice cannot run short, so it needs no name
      ByteReader r = in.slice(lengths[i], what);
      if ((specs[i] & DEFLATE_BIT) != 0) {
        byte[] inflated =
            Deflate.inflate(r.array(), r.position(), r.remaining(), budget, at, what + " column " + specs[i]);
        budget -= inflated.length;
        r = ByteReader.of(inflated, 0, inflated.length, at);
      }
      readers[i] = r;
    }
    int[] normal = new int[specs.length];
    for (int i = 0; i < specs.length; i++) {
      normal[i] = specs[i] & ~DEFLATE_BIT;
    }
    return new Columns(normal, readers);
  }

  /** The bound columns of one chunk section, looked up by spec (deflate bit masked off). */
  static final class Columns {
    private final int[] specs;
    private final ByteReader[] readers;

    Columns(int[] specs, ByteReader[] readers) {
      this.specs = specs;
      this.readers = readers;
    }

    /** A fresh reader over the column with {@code spec}, or null when the column is absent. */
    ByteReader get(int spec) {
      for (int i = 0; i < specs.length; i++) {
        if (specs[i] == spec) {
          ByteReader r = readers[i];
          return ByteReader.of(r.array(), r.position(), r.position() + r.remaining(), r.offset());
        }
      }
      return null;
    }
  }

  /** Collects columns in ascending spec order, leaving out empty ones, then writes metadata and data. */
  static final class Writer {
    // a change or document has at most 16 column kinds; arrays sized for that avoid regrowth
    private int[] specs = new int[16];
    private byte[][] data = new byte[16][];
    private int n;

    Writer add(int spec, byte[] column) {
      if (column.length > 0) {
        if (n > 0 && specs[n - 1] >= spec) {
          throw new IllegalStateException("columns must be added in ascending spec order");
        }
        if (n == specs.length) {
          specs = java.util.Arrays.copyOf(specs, n * 2);
          data = java.util.Arrays.copyOf(data, n * 2);
        }
        specs[n] = spec;
        data[n] = column;
        n++;
      }
      return this;
    }

    void writeMetadata(ByteWriter out) {
      out.writeUleb(n);
      for (int i = 0; i < n; i++) {
        out.writeUleb(specs[i]).writeUleb(data[i].length);
      }
    }

    /** Writes the metadata, then the data. */
    void writeTo(ByteWriter out) {
      writeMetadata(out);
      writeData(out);
    }

    void writeData(ByteWriter out) {
      for (int i = 0; i < n; i++) {
        out.write(data[i]);
      }
    }
  }
}
