package dev.loam.internal.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Test support: a document chunk split into its sections, with compressed columns inflated, so two
 * chunks can be compared byte for byte regardless of which DEFLATE implementation wrote them.
 *
 * @param actors each actor id, hex
 * @param heads each head, hex
 * @param changeColumns change columns in file order
 * @param opColumns op columns in file order
 * @param headsIndex the raw bytes after the column data (the heads index), hex
 */
record DocumentSections(
    List<String> actors, List<String> heads, List<Column> changeColumns, List<Column> opColumns, String headsIndex) {

  /**
   * One column: its spec with the deflate bit masked off, whether it was stored deflated, and its
   * inflated data.
   */
  record Column(int spec, boolean deflated, byte[] data) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Column c && c.spec == spec && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
      return spec * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "col " + spec + (deflated ? " (deflated)" : "") + " [" + data.length + "] " + hexHead(data);
    }
  }

  static DocumentSections parse(Chunk chunk) {
    ByteReader in = chunk.bodyReader();
    List<String> actors = new ArrayList<>();
    int n = (int) in.readUleb(0, in.remaining(), "actors");
    for (int i = 0; i < n; i++) {
      actors.add(HexFormat.of().formatHex(in.readBytes(in.readLength("actor length"), "actor")));
    }
    List<String> heads = new ArrayList<>();
    int h = (int) in.readUleb(0, in.remaining() / 32, "heads");
    for (int i = 0; i < h; i++) {
      heads.add(HexFormat.of().formatHex(in.readBytes(32, "head")));
    }
    int[][] changeMeta = meta(in);
    int[][] opMeta = meta(in);
    List<Column> changes = columns(in, changeMeta);
    List<Column> ops = columns(in, opMeta);
    String index = HexFormat.of().formatHex(in.readRest());
    return new DocumentSections(actors, heads, changes, ops, index);
  }

  private static int[][] meta(ByteReader in) {
    int n = (int) in.readUleb(0, in.remaining(), "columns");
    int[][] m = new int[n][2];
    for (int i = 0; i < n; i++) {
      m[i][0] = (int) in.readUleb();
      m[i][1] = (int) in.readUleb();
    }
    return m;
  }

  private static List<Column> columns(ByteReader in, int[][] meta) {
    List<Column> out = new ArrayList<>();
    for (int[] m : meta) {
      long at = in.offset();
      byte[] raw = in.readBytes(m[1], "column");
      boolean deflated = (m[0] & ColumnLayout.DEFLATE_BIT) != 0;
      byte[] data = deflated ? Deflate.inflate(raw, 0, raw.length, Deflate.DEFAULT_LIMIT, at, "column") : raw;
      out.add(new Column(m[0] & ~ColumnLayout.DEFLATE_BIT, deflated, data));
    }
    return out;
  }

  /** This document with change column {@code spec}'s data replaced (stored uncompressed). */
  DocumentSections withChangeColumn(int spec, byte[] data) {
    List<Column> changes = new ArrayList<>();
    for (Column c : changeColumns) {
      changes.add(c.spec == spec ? new Column(spec, false, data) : c);
    }
    return new DocumentSections(actors, heads, changes, opColumns, headsIndex);
  }

  /** The document chunk of these sections, every column stored uncompressed. */
  byte[] encode() {
    ByteWriter w = new ByteWriter(256);
    w.writeUleb(actors.size());
    for (String a : actors) {
      w.writePrefixed(HexFormat.of().parseHex(a));
    }
    w.writeUleb(heads.size());
    for (String h : heads) {
      w.write(HexFormat.of().parseHex(h));
    }
    for (List<Column> cols : List.of(changeColumns, opColumns)) {
      w.writeUleb(cols.size());
      for (Column c : cols) {
        w.writeUleb(c.spec).writeUleb(c.data.length);
      }
    }
    for (List<Column> cols : List.of(changeColumns, opColumns)) {
      for (Column c : cols) {
        w.write(c.data);
      }
    }
    w.write(HexFormat.of().parseHex(headsIndex));
    return ChunkReader.wrap(ChunkType.DOCUMENT.code(), w.array(), w.size(), true).chunk();
  }

  /** A readable account of every way {@code other} differs from this, or "" when they are equal. */
  String diff(DocumentSections other) {
    StringBuilder s = new StringBuilder();
    if (!actors.equals(other.actors)) {
      s.append("actors: ").append(actors.size()).append(" vs ").append(other.actors.size()).append('\n');
    }
    if (!heads.equals(other.heads)) {
      s.append("heads: ").append(heads).append(" vs ").append(other.heads).append('\n');
    }
    diffColumns("change", changeColumns, other.changeColumns, s);
    diffColumns("op", opColumns, other.opColumns, s);
    if (!headsIndex.equals(other.headsIndex)) {
      s.append("heads index: ").append(headsIndex).append(" vs ").append(other.headsIndex).append('\n');
    }
    return s.toString();
  }

  private static void diffColumns(String what, List<Column> a, List<Column> b, StringBuilder s) {
    List<Integer> as = a.stream().map(Column::spec).toList();
    List<Integer> bs = b.stream().map(Column::spec).toList();
    if (!as.equals(bs)) {
      s.append(what).append(" column specs: ").append(as).append(" vs ").append(bs).append('\n');
    }
    for (Column x : a) {
      for (Column y : b) {
        if (x.spec == y.spec && !x.equals(y)) {
          int i = 0;
          while (i < x.data.length && i < y.data.length && x.data[i] == y.data[i]) {
            i++;
          }
          s.append(what).append(" column ").append(x.spec).append(": ").append(x.data.length).append(" vs ")
              .append(y.data.length).append(" bytes, first difference at ").append(i).append(": ")
              .append(hexHead(Arrays.copyOfRange(x.data, i, x.data.length))).append(" vs ")
              .append(hexHead(Arrays.copyOfRange(y.data, i, y.data.length))).append('\n');
        }
      }
    }
  }

  private static String hexHead(byte[] b) {
    String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 24));
    return b.length > 24 ? h + "…" : h;
  }
}
