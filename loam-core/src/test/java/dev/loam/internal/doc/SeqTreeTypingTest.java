package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * How the sequence tree splits its leaves as people type: runs of keystrokes at one cursor,
 * backspaces, pastes and edits anywhere, one change per keystroke or per burst, checked against a
 * plain {@link StringBuilder} and the op set's invariants; and, for typing at one cursor, that the
 * leaves left behind it are full rather than half full.
 */
class SeqTreeTypingTest {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz \n";

  @TestFactory
  Stream<DynamicTest> typingBurstsKeepTheTextAndTheTreeConsistent() {
    return Seeds.tests("typing bursts", SeqTreeTypingTest::bursts);
  }

  private static void bursts(long seed) {
    Random rnd = new Random(seed);
    Document doc = Document.create(ActorId.fromHex("0a"));
    ObjId[] text = new ObjId[1];
    doc.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    ObjId obj = text[0];
    StringBuilder model = new StringBuilder();
    for (int burst = 0; burst < 30; burst++) {
      int cursor = rnd.nextInt(model.length() + 1);
      int kind = rnd.nextInt(10);
      if (kind == 0 && model.length() > 0) {
        // a selection deleted
        int del = 1 + rnd.nextInt(Math.min(model.length() - Math.min(cursor, model.length() - 1), 80));
        int at = Math.min(cursor, model.length() - del);
        doc.transact(tx -> tx.spliceText(obj, at, del, ""));
        model.delete(at, at + del);
      } else if (kind == 1) {
        // a paste
        String s = letters(rnd, 1 + rnd.nextInt(300));
        doc.transact(tx -> tx.spliceText(obj, cursor, 0, s));
        model.insert(cursor, s);
      } else {
        // keystrokes, with backspaces among them, one change each or the burst as one change
        boolean perKey = rnd.nextBoolean();
        int keys = 1 + rnd.nextInt(150);
        int at = cursor;
        List<Splice> burstKeys = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
          boolean back = at > 0 && rnd.nextInt(8) == 0;
          Splice key = back ? new Splice(at - 1, 1, "") : new Splice(at, 0, letters(rnd, 1));
          if (perKey) {
            doc.transact(tx -> tx.spliceText(obj, key.pos(), key.del(), key.ins()));
          } else {
            burstKeys.add(key);
          }
          model.replace(key.pos(), key.pos() + key.del(), key.ins());
          at += back ? -1 : 1;
        }
        doc.transact(tx -> burstKeys.forEach(key -> tx.spliceText(obj, key.pos(), key.del(), key.ins())));
      }
      assertEquals(model.toString(), doc.text(obj), "after burst " + burst);
      if (burst % 10 == 9) {
        Invariants.check(doc);
      }
    }
  }

  private record Splice(int pos, int del, String ins) {}

  @TestFactory
  Stream<DynamicTest> twoCursorsTakingTurnsReadAndWriteWhereTheyShould() {
    return Seeds.tests("two cursors", SeqTreeTypingTest::twoCursors);
  }

  /**
   * Two people type and backspace in turns at their own cursors, each in a document of their own,
   * every keystroke applied to the other document at once, with reads by index between: a local
   * keystroke or a remote one changes a leaf other than the one the last seek ended in, often one
   * before it, which the tree's last-seek hint must not outlive. Now and then one types at the
   * very start (an insert that seeks nothing).
   */
  private static void twoCursors(long seed) {
    Random rnd = new Random(seed);
    Document[] docs = {Document.create(ActorId.fromHex("0c")), Document.create(ActorId.fromHex("0d"))};
    ObjId[] text = new ObjId[1];
    String start = letters(rnd, 200 + rnd.nextInt(400));
    docs[0].transact(tx -> {
      text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
      tx.spliceText(text[0], 0, 0, start);
    });
    docs[1].merge(docs[0]);
    ObjId obj = text[0];
    StringBuilder model = new StringBuilder(start);
    int[] cursor = {rnd.nextInt(model.length() + 1), rnd.nextInt(model.length() + 1)};
    for (int k = 0; k < 600; k++) {
      int who = k % 2;
      if (rnd.nextInt(50) == 0) {
        cursor[who] = 0;
      }
      int at = cursor[who];
      Splice key = at > 0 && rnd.nextInt(5) == 0 ? new Splice(at - 1, 1, "") : new Splice(at, 0, letters(rnd, 1));
      Document local = docs[who];
      ChangeHash hash = local.transact(tx -> tx.spliceText(obj, key.pos(), key.del(), key.ins())).orElseThrow();
      docs[1 - who].applyChanges(List.of(local.change(hash).orElseThrow().bytes().toByteArray()));
      model.replace(key.pos(), key.pos() + key.del(), key.ins());
      int moved = key.ins().length() - key.del();
      for (int c = 0; c < 2; c++) {
        if (c == who || cursor[c] > key.pos()) {
          cursor[c] += moved;
        }
      }
      for (Document d : docs) {
        if (rnd.nextInt(3) == 0 && model.length() > 0) {
          int i = rnd.nextInt(model.length());
          assertEquals(new ScalarValue.Str(String.valueOf(model.charAt(i))), d.get(obj, i).orElseThrow(),
              "character " + i + " after keystroke " + k);
        }
      }
    }
    for (Document d : docs) {
      assertEquals(model.toString(), d.text(obj));
      Invariants.check(d);
    }
  }

  private static String letters(Random rnd, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(LETTERS.charAt(rnd.nextInt(LETTERS.length())));
    }
    return b.toString();
  }

  @Test
  void typingAtOneCursorLeavesFullLeavesBehindIt() {
    Document doc = Document.create(ActorId.fromHex("0b"));
    ObjId[] text = new ObjId[1];
    doc.transact(tx -> {
      text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
      tx.spliceText(text[0], 0, 0, "x".repeat(1_000));
    });
    ObjId obj = text[0];
    int typed = 6_400;
    for (int k = 0; k < typed; k++) {
      int pos = 500 + k;
      doc.transact(tx -> tx.spliceText(obj, pos, 0, "y"));
      if (k % 40 == 39) {
        // a typo, taken back: the next keystroke still types on
        doc.transact(tx -> tx.spliceText(obj, pos + 1, 0, "z"));
        doc.transact(tx -> tx.spliceText(obj, pos + 1, 1, ""));
      }
    }
    assertEquals("x".repeat(500) + "y".repeat(typed) + "x".repeat(500), doc.text(obj));
    Invariants.check(doc);
    // every leaf holding typed rows (the rows after the paste's: rows 1 to 1,000) is full, but
    // for the leaves at each end of the typing: LEAF_CAP - 1 rows, the most a leaf keeps
    OpSet set = Invariants.opSetOf(doc);
    SeqTree tree = set.objs.get(1).seq;
    int typedLeaves = 0;
    int notFull = 0;
    for (SeqTree.Leaf l = tree.firstLeaf(); l != null; l = l.next) {
      boolean holdsTyped = false;
      for (int i = 0; i < l.n; i++) {
        holdsTyped |= l.rows[i] > 1_000;
      }
      if (holdsTyped) {
        typedLeaves++;
        notFull += l.n < SeqTree.LEAF_CAP - 1 ? 1 : 0;
      }
    }
    assertTrue(typedLeaves >= (typed + typed / 40) / (SeqTree.LEAF_CAP - 1), "typed leaves: " + typedLeaves);
    StringBuilder sizes = new StringBuilder();
    for (SeqTree.Leaf l = tree.firstLeaf(); l != null; l = l.next) {
      sizes.append(l.n).append(" ");
    }
    assertTrue(notFull <= 3, sizes + " " + notFull + " of " + typedLeaves + " leaves holding typed text are not full");
  }
}
