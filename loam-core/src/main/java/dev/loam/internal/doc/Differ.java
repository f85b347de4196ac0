package dev.loam.internal.doc;

import dev.loam.Heads;
import dev.loam.ObjType;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes the patches between two states of a document by walking every object visible in the
 * later state and comparing, op by op, what each of the two clocks sees. Objects created between
 * the states are reported as a put of the empty object followed by their content.
 */
final class Differ {
  private final OpSet set;
  private final DocEngine engine;
  private final List<Patch> out = new ArrayList<>();

  Differ(DocEngine engine) {
    this.engine = engine;
    this.set = engine.opSet();
  }

  List<Patch> diff(Heads before, Heads after) {
    Clock cb = engine.clockAt(before);
    Clock ca = engine.clockAt(after);
    walk(set.root(), cb, ca, List.of(), false);
    return out;
  }

  private static List<Prop> child(List<Prop> path, Prop p) {
    List<Prop> l = new ArrayList<>(path.size() + 1);
    l.addAll(path);
    l.add(p);
    return List.copyOf(l);
  }

  /** @param fresh the object did not exist (or was not reachable) before: everything in it is new */
  private void walk(ObjState o, Clock cb, Clock ca, List<Prop> path, boolean fresh) {
    if (o.type.isSequence()) {
      walkSeq(o, cb, ca, path, fresh);
    } else {
      walkMap(o, cb, ca, path, fresh);
    }
  }

  private void walkMap(ObjState o, Clock cb, Clock ca, List<Prop> path, boolean fresh) {
    for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
      String key = e.getKey();
      int[] visA = set.visibleAtKey(o, key, ca);
      int[] visB = fresh ? new int[0] : set.visibleAtKey(o, key, cb);
      int wa = visA.length == 0 ? OpTable.NONE : visA[visA.length - 1];
      int wb = visB.length == 0 ? OpTable.NONE : visB[visB.length - 1];
      List<Prop> p = child(path, Prop.key(key));
      if (wa == OpTable.NONE) {
        if (wb != OpTable.NONE) {
          out.add(new Patch.Delete(p, 1));
        }
        continue;
      }
      valueChange(wa, wb, visA.length > 1, visB.length > 1, ca, cb, p);
    }
  }

  private void valueChange(int wa, int wb, boolean conflictA, boolean conflictB, Clock ca, Clock cb, List<Prop> p) {
    if (wa != wb) {
      out.add(new Patch.Put(p, shallow(wa, ca), conflictA));
      if (Actions.isMake(set.ops.action[wa])) {
        walk(set.obj(set.ops.id[wa]), cb, ca, p, true);
      }
      return;
    }
    if (set.ops.isCounter(wa)) {
      long a = ((ScalarValue.Counter) set.valueOf(wa, ca)).value();
      long b = ((ScalarValue.Counter) set.valueOf(wa, cb)).value();
      if (a != b) {
        out.add(new Patch.Increment(p, a - b));
      }
    }
    if (conflictA && !conflictB) {
      out.add(new Patch.Conflict(p));
    }
    if (Actions.isMake(set.ops.action[wa])) {
      walk(set.obj(set.ops.id[wa]), cb, ca, p, false);
    }
  }

  /** The value as a patch shows it: objects as empty references, counters with their value at {@code clock}. */
  private Value shallow(int row, Clock clock) {
    return set.valueOf(row, clock);
  }

  private void walkSeq(ObjState o, Clock cb, Clock ca, List<Prop> path, boolean fresh) {
    boolean text = o.type == ObjType.TEXT;
    long index = 0;
    // pending run of deletes / inserts
    long delAt = -1;
    long delLen = 0;
    long insAt = -1;
    StringBuilder insText = new StringBuilder();
    List<Value> insValues = new ArrayList<>();
    List<Boolean> insConflicts = new ArrayList<>();
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      if (set.ops.action[el] != Actions.MARK) {
        int[] visA = set.visibleOfElement(el, ca);
        int[] visB = fresh ? new int[0] : set.visibleOfElement(el, cb);
        int wa = visA.length == 0 ? OpTable.NONE : visA[visA.length - 1];
        int wb = visB.length == 0 ? OpTable.NONE : visB[visB.length - 1];
        if (wa == OpTable.NONE && wb != OpTable.NONE) {
          if (insAt >= 0) {
            flushInsert(path, text, insAt, insText, insValues, insConflicts);
            insAt = -1;
          }
          if (delAt < 0) {
            delAt = index;
            delLen = 0;
          }
          delLen += text ? OpSet.utf16Width(set.ops.value[wb]) : 1;
        } else if (wa != OpTable.NONE) {
          if (delAt >= 0) {
            out.add(new Patch.Delete(child(path, Prop.index((int) delAt)), (int) delLen));
            delAt = -1;
          }
          int width = text ? OpSet.utf16Width(set.ops.value[wa]) : 1;
          if (wb == OpTable.NONE) {
            if (insAt < 0) {
              insAt = index;
            }
            if (text) {
              insText.append(set.ops.value[wa] instanceof ScalarValue.Str s ? s.value() : "\uFFFC");
            } else {
              insValues.add(shallow(wa, ca));
              insConflicts.add(visA.length > 1);
            }
            if (!text && Actions.isMake(set.ops.action[wa])) {
              flushInsert(path, false, insAt, insText, insValues, insConflicts);
              insAt = -1;
              walk(set.obj(set.ops.id[wa]), cb, ca, child(path, Prop.index((int) index)), true);
            }
          } else {
            if (insAt >= 0) {
              flushInsert(path, text, insAt, insText, insValues, insConflicts);
              insAt = -1;
            }
            valueChange(wa, wb, visA.length > 1, visB.length > 1, ca, cb, child(path, Prop.index((int) index)));
          }
          index += width;
        }
      }
      if (!c.advance()) {
        break;
      }
    }
    if (delAt >= 0) {
      out.add(new Patch.Delete(child(path, Prop.index((int) delAt)), (int) delLen));
    }
    if (insAt >= 0) {
      flushInsert(path, text, insAt, insText, insValues, insConflicts);
    }
  }

  private void flushInsert(List<Prop> path, boolean text, long at, StringBuilder insText, List<Value> values,
      List<Boolean> conflicts) {
    List<Prop> p = child(path, Prop.index((int) at));
    if (text) {
      out.add(new Patch.SpliceText(p, insText.toString(), Map.of()));
      insText.setLength(0);
    } else {
      out.add(new Patch.Insert(p, List.copyOf(values), List.copyOf(conflicts), Map.of()));
      values.clear();
      conflicts.clear();
    }
  }
}
