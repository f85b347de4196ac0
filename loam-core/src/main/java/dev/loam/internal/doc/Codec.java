package dev.loam.internal.doc;

import dev.loam.TruncatedInputException;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.Chunk;
import dev.loam.internal.codec.ChunkReader;
import dev.loam.internal.codec.DecodeLimits;
import dev.loam.internal.codec.DocumentChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The engine's view of the binary format: files in, change chunks out. */
final class Codec {
  private Codec() {}

  /**
   * One chunk of a file: a document chunk (its columns; its changes rebuilt on first use), or one
   * change.
   */
  static final class Parsed {
    private final DocumentChunk.Columns document;
    private final StoredChange change;
    private final long offset;
    private List<StoredChange> rebuilt;

    Parsed(DocumentChunk.Columns document, StoredChange change, long offset) {
      this.document = document;
      this.change = change;
      this.offset = offset;
    }

    DocumentChunk.Columns document() {
      return document;
    }

    StoredChange change() {
      return change;
    }

    long offset() {
      return offset;
    }

    /** A document chunk's changes, rebuilt and checked against its heads; null for a change chunk. */
    List<StoredChange> documentChanges() {
      if (document != null && rebuilt == null) {
        rebuilt = document.rebuild().changes();
      }
      return document == null ? null : rebuilt;
    }

    /** The changes rebuilt so far (none if nobody asked), for finding a change's offset. */
    List<StoredChange> rebuiltChanges() {
      return rebuilt == null ? List.of() : rebuilt;
    }
  }

  /** A decoded file; {@code truncatedAt} is where a torn final chunk began, or -1. */
  record File(List<Parsed> chunks, long truncatedAt) {
    /** The offset of the chunk {@code c} was decoded from (by identity), or -1. Linear: for error messages. */
    long offsetOf(StoredChange c) {
      for (Parsed p : chunks) {
        if (p.change() == c) {
          return p.offset();
        }
        if (p.document() != null) {
          for (StoredChange d : p.rebuiltChanges()) {
            if (d == c) {
              return p.offset();
            }
          }
        }
      }
      return -1;
    }
  }

  static File readFile(byte[] bytes, boolean allowTruncatedTail) {
    return readFile(bytes, allowTruncatedTail, DecodeLimits.DEFAULT);
  }

  static File readFile(byte[] bytes, boolean allowTruncatedTail, DecodeLimits limits) {
    List<Chunk> chunks;
    long truncatedAt = -1;
    try {
      chunks = ChunkReader.readAll(bytes, limits.maxInflatedBytes());
    } catch (TruncatedInputException t) {
      if (!allowTruncatedTail) {
        throw t;
      }
      truncatedAt = t.completeLength();
      chunks = ChunkReader.readAll(Arrays.copyOf(bytes, (int) truncatedAt), limits.maxInflatedBytes());
    }
    List<Parsed> out = new ArrayList<>(chunks.size());
    for (Chunk c : chunks) {
      out.add(switch (c.type()) {
        case DOCUMENT -> new Parsed(DocumentChunk.decodeColumns(c, limits), null, c.offset());
        case CHANGE, DEFLATED_CHANGE -> new Parsed(null, ChangeChunk.decode(c, limits), c.offset());
      });
    }
    return new File(out, truncatedAt);
  }

  static StoredChange decodeChange(byte[] chunk) {
    return ChangeChunk.decode(chunk);
  }
}
