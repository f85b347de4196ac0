package dev.loam.internal.codec;

import dev.loam.Bytes;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import java.nio.charset.StandardCharsets;

/**
 * A value-metadata column (RLE of uLEB) and its raw column: each row's metadata is {@code
 * (byteLength << 4) | typeCode}, and the raw column is every row's value bytes back to back.
 *
 * <pre>
 * +------+-----------+------------------------------+
 * | code | type      | raw bytes                    |
 * +------+-----------+------------------------------+
 * | 0    | null      | none                         |
 * | 1, 2 | false/true| none                         |
 * | 3    | uint      | uLEB                         |
 * | 4    | int       | sLEB                         |
 * | 5    | float64   | 8 bytes little-endian        |
 * | 6    | string    | UTF-8                        |
 * | 7    | bytes     | raw                          |
 * | 8    | counter   | sLEB                         |
 * | 9    | timestamp | sLEB (ms since the epoch)    |
 * | 10-15| unknown   | kept as they are             |
 * +------+-----------+------------------------------+
 * int 5: meta 14, raw 05;   "é": meta 26, raw C3 A9
 * </pre>
 *
 * The length in the metadata must be exactly the length of the encoded value.
 */
final class ValueColumn {
  /** One-character ASCII strings, shared: text documents hold one such value per character. */
  private static final ScalarValue[] ASCII = new ScalarValue[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII[c] = ScalarValue.of(String.valueOf((char) c));
    }
  }

  private ValueColumn() {}

  /** Writes the metadata and raw columns side by side. */
  static final class Encoder {
    private final RleColumn.Encoder meta = new RleColumn.Encoder(false);
    private final ByteWriter raw = new ByteWriter();
    private final byte[] scratch = new byte[10];

    /** Forgets everything appended, keeping the buffers. */
    void reset() {
      meta.reset();
      raw.reset();
    }

    void append(ScalarValue v) {
      int code;
      int start = raw.size();
      switch (v) {
        case ScalarValue.Null n -> code = 0;
        case ScalarValue.Bool b -> code = b.value() ? 2 : 1;
        case ScalarValue.Uint u -> {
          code = 3;
          raw.writeUleb(u.value());
        }
        case ScalarValue.Int i -> {
          code = 4;
          raw.writeSleb(i.value());
        }
        case ScalarValue.F64 f -> {
          code = 5;
          long bits = Double.doubleToRawLongBits(f.value());
          for (int k = 0; k < 8; k++) {
            scratch[k] = (byte) (bits >>> (8 * k));
          }
          raw.write(scratch, 0, 8);
        }
        case ScalarValue.Str s -> {
          code = 6;
          raw.writeUtf8(s.value());
        }
        case ScalarValue.BytesValue b -> {
          code = 7;
          raw.write(b.value().toByteArray());
        }
        case ScalarValue.Counter c -> {
          code = 8;
          raw.writeSleb(c.value());
        }
        case ScalarValue.Timestamp t -> {
          code = 9;
          raw.writeSleb(t.millis());
        }
        case ScalarValue.Unknown u -> {
          code = u.typeCode();
          raw.write(u.bytes().toByteArray());
        }
      }
      meta.append(((long) (raw.size() - start) << 4) | code);
    }

    /** A row of type bytes (code 7), as the extra-bytes column of a document uses. */
    void appendBytes(byte[] b) {
      raw.write(b);
      meta.append(((long) b.length << 4) | 7);
    }

    byte[] finishMeta() {
      return meta.finish();
    }

    byte[] finishRaw() {
      byte[] r = raw.toByteArray();
      raw.reset();
      return r;
    }
  }

  /** Reads exactly {@code rows} values; an absent metadata column is all nulls. */
  static final class Decoder {
    private final RleColumn.Decoder meta;
    private final ByteReader raw;
    private final String what;
    private final String valueBytes;
    private final String stringBytes;
    private final String rawBytes;

    Decoder(ByteReader metaColumn, ByteReader rawColumn, long rows, String what) {
      if (metaColumn == null && rawColumn != null && !rawColumn.atEnd()) {
        throw rawColumn.error(what + ": a metadata column for the raw value column");
      }
      this.meta = new RleColumn.Decoder(metaColumn, false, rows, what + " metadata");
      this.raw = rawColumn == null ? ByteReader.of(new byte[0]) : rawColumn;
      this.what = what;
      this.valueBytes = what + " value bytes";
      this.stringBytes = what + " string";
      this.rawBytes = what + " raw bytes";
    }

    /** The next row's raw bytes, whatever their type. */
    byte[] nextRaw() {
      if (!meta.next()) {
        return new byte[0];
      }
      long m = meta.value();
      return raw.readBytes(m >>> 4, rawBytes);
    }

    ScalarValue next() {
      if (!meta.next()) {
        return ScalarValue.NULL;
      }
      long m = meta.value();
      int code = (int) (m & 15);
      long len = m >>> 4;
      long at = raw.offset();
      raw.require(len, valueBytes);
      ByteReader v = raw.slice(len, what);
      ScalarValue result =
          switch (code) {
            case 0 -> ScalarValue.NULL;
            case 1 -> ScalarValue.FALSE;
            case 2 -> ScalarValue.TRUE;
            case 3 -> ScalarValue.uint(v.readUleb());
            case 4 -> ScalarValue.of(v.readSleb());
            case 5 -> {
              if (len != 8) {
                throw new DecodeException(at, what + ": a float of 8 bytes, found " + len);
              }
              byte[] b = v.readBytes(8, what);
              long bits = 0;
              for (int k = 7; k >= 0; k--) {
                bits = (bits << 8) | (b[k] & 0xff);
              }
              yield new ScalarValue.F64(Double.longBitsToDouble(bits));
            }
            case 6 -> {
              if (len == 1 && v.array()[v.position()] >= 0) {
                yield ASCII[v.readByte()];
              }
              yield ScalarValue.of(v.decodeUtf8((int) len, stringBytes));
            }
            case 7 -> new ScalarValue.BytesValue(Bytes.wrap(v.readRest()));
            case 8 -> ScalarValue.counter(v.readSleb());
            case 9 -> ScalarValue.timestamp(v.readSleb());
            default -> new ScalarValue.Unknown(code, Bytes.wrap(v.readRest()));
          };
      if (!v.atEnd()) {
        throw new DecodeException(at, what + ": a value of exactly the " + len + " bytes its metadata says");
      }
      return result;
    }

    void finish() {
      meta.finish();
      if (!raw.atEnd()) {
        throw raw.error(what + ": no raw bytes beyond the last value");
      }
    }
  }
}
