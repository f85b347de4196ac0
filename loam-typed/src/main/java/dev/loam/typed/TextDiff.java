package dev.loam.typed;

import dev.loam.ObjId;
import dev.loam.Transaction;

/**
 * Edits a text object from its old content to a new one by splices along a code-point diff, so
 * that characters both versions share keep their identity and a collaborator's concurrent edits
 * around them merge. Diffing code points (not UTF-16 units) never splits a surrogate pair;
 * splice positions are UTF-16 units, as the document counts them.
 */
final class TextDiff {
  private TextDiff() {}

  static void apply(Transaction tx, ObjId text, String from, String to) {
    if (from.equals(to)) {
      return;
    }
    int[] a = from.codePoints().toArray();
    int[] b = to.codePoints().toArray();
    byte[] script = Diff.script(a.length, b.length, (i, j) -> a[i] == b[j]);
    int pos = 0; // in UTF-16 units of the text as edited so far
    int i = 0;
    int j = 0;
    int deleted = 0;
    StringBuilder inserted = new StringBuilder();
    for (byte step : script) {
      switch (step) {
        case Diff.KEEP -> {
          pos += splice(tx, text, pos, deleted, inserted) + Character.charCount(a[i]);
          deleted = 0;
          i++;
          j++;
        }
        case Diff.DELETE -> deleted += Character.charCount(a[i++]);
        default -> inserted.appendCodePoint(b[j++]);
      }
    }
    splice(tx, text, pos, deleted, inserted);
  }

  /** Applies a pending splice, if any, and returns how far it moves the position. */
  private static int splice(Transaction tx, ObjId text, int pos, int deleted, StringBuilder inserted) {
    if (deleted == 0 && inserted.isEmpty()) {
      return 0;
    }
    String s = inserted.toString();
    tx.spliceText(text, pos, deleted, s);
    inserted.setLength(0);
    return s.length();
  }
}
