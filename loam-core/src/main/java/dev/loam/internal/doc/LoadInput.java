package dev.loam.internal.doc;

import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.DecodeLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded input of one load or apply call: the files it came in, and their changes flattened
 * in file order. Lives for one engine call (a per-call context, never stored in the engine).
 *
 * <p>Owns: the decoded files, kept only to name the byte offset of a change that does not apply
 * (searched linearly, on error only), and the flattened change list. An input that did not come
 * from bytes ({@link #none}: a merge, a replay) names no offsets.
 */
final class LoadInput {
  private final List<Codec.File> files = new ArrayList<>(1);
  private final List<StoredChange> changes = new ArrayList<>();

  /** An input of changes that came from no bytes (a merge, a replay): every offset is unknown (-1). */
  static LoadInput none() {
    return new LoadInput();
  }

  /** Decodes one file (its chunks are flattened later, by {@link #addChanges}). */
  Codec.File read(byte[] bytes, boolean allowTruncatedTail, DecodeLimits limits) {
    Codec.File file = Codec.readFile(bytes, allowTruncatedTail, limits);
    files.add(file);
    return file;
  }

  /** Decodes change chunks given one or more per element and flattens all of them. */
  static LoadInput readAll(List<byte[]> chunks, DecodeLimits limits) {
    LoadInput in = new LoadInput();
    for (byte[] b : chunks) {
      in.addChanges(in.read(b, false, limits), 0);
    }
    return in;
  }

  /**
   * Appends the changes of {@code file}'s chunks from index {@code from} on, a document chunk's
   * changes in their stored order. Returns how many came from a document chunk at index 0: the
   * prefix an empty engine applies in stored order, as Automerge loads a document chunk.
   */
  int addChanges(Codec.File file, int from) {
    List<Codec.Parsed> chunks = file.chunks();
    int prefix = 0;
    for (int i = from; i < chunks.size(); i++) {
      Codec.Parsed p = chunks.get(i);
      List<StoredChange> docChanges = p.documentChanges();
      if (docChanges != null) {
        if (i == 0) {
          prefix = docChanges.size();
        }
        changes.addAll(docChanges);
      } else {
        changes.add(p.change());
      }
    }
    return prefix;
  }

  /** The changes added so far, in file order. */
  List<StoredChange> changes() {
    return changes;
  }

  /** The offset of the chunk {@code c} was decoded from (by identity), or -1. Linear: for error messages. */
  long offsetOf(StoredChange c) {
    for (Codec.File f : files) {
      long at = f.offsetOf(c);
      if (at >= 0) {
        return at;
      }
    }
    return -1;
  }
}
