package dev.loam.internal.codec;

/** The chunk type byte. Type 3 (bundle) is recognised by the reader and rejected as unsupported. */
public enum ChunkType {
  DOCUMENT(0),
  CHANGE(1),
  DEFLATED_CHANGE(2);

  private final int code;

  ChunkType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
