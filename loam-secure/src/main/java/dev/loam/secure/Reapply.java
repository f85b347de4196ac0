package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.CommitOptions;
import dev.loam.Cursor;
import dev.loam.Document;
import dev.loam.InvalidOperationException;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import dev.loam.internal.codec.ChangeChunk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The re-application of a replica's own changes that a rebuild lost (rule 4: an honest client
 * whose edits were built on a revoked author's late changes re-applies its own edits as fresh
 * changes). Not thread-safe: used once, inside one {@link Materialized#update}.
 *
 * <p>Each lost change is taken in causal order. One whose dependencies are all in the rebuilt
 * document goes in unchanged (its bytes: the same change, sealed anew later). Any other is
 * replayed operation by operation through the rebuilt document's ordinary write API, under the
 * document's actor (fresh, bound to this identity), and committed as one new change:
 * <ul>
 *   <li>an object is the same object when it survived the rebuild, the object a replayed
 *       operation made in its place when this replica made it, and otherwise (a revoked author
 *       made it) gone: the operations on it are skipped;
 *   <li>map operations keep their key; a delete of a key that is no longer there, and an
 *       increment of what is no longer a counter, are skipped;
 *   <li>an insert goes right after the element it was anchored on: that element if it survived
 *       (or its replayed copy), else, for an element a revoked change inserted, the element that
 *       one was anchored on, and so on up to the start of the sequence;
 *   <li>a set, delete or increment of a list or text element applies to that element if it is
 *       still visible in the rebuilt document, and is skipped otherwise;
 *   <li>marks are skipped (a limitation: a lost mark must be set again);
 *   <li>an operation the rebuilt document refuses ({@link InvalidOperationException}) is skipped.
 * </ul>
 * An element counts as visible when its own insert is the value shown at its position; a list
 * element whose value another change overwrote therefore counts as gone (its set or delete is
 * skipped, an insert after it goes before it), which errs on the side of changing nothing. A
 * replayed change keeps the lost one's message and time.
 *
 * <p>Cost: one decode of each change the rebuild dropped (the lost own ones and the revoked
 * ones, whose inserts give the anchors), then a cursor lookup per replayed operation; a run of
 * characters typed one after another is replayed as one splice.
 */
final class Reapply {
  private final Document old;
  private final Document target;
  /** The objects and elements replayed operations made: old op id → new op id. */
  private final Map<ObjId, ObjId> moved = new HashMap<>();
  /** Elements inserted by changes the rebuild lost: element → the element it was inserted after. */
  private final Map<ObjId, ObjId> anchors = new HashMap<>();

  private Reapply(Document old, Document target) {
    this.old = old;
    this.target = target;
  }

  /**
   * Re-applies to {@code target} each of {@code own} (changes of {@code old}, in causal order)
   * that it lacks; {@code target} is {@code old} rebuilt without the changes that became invalid.
   */
  static void lost(Document old, Document target, List<Change> own) {
    List<Change> lost = own.stream().filter(c -> target.change(c.hash()).isEmpty()).toList();
    if (lost.isEmpty()) {
      return;
    }
    Reapply r = new Reapply(old, target);
    r.recordAnchors();
    for (Change c : lost) {
      if (c.deps().stream().allMatch(d -> target.change(d).isPresent())) {
        target.applyChanges(List.of(c.bytes().toByteArray()));
      } else {
        r.replay(ChangeChunk.decode(c.bytes().toByteArray()));
        target.commit(new CommitOptions(c.message(), c.time() == 0 ? OptionalLong.empty() : OptionalLong.of(c.time())));
      }
    }
  }

  private void recordAnchors() {
    for (Change c : old.changes()) {
      if (target.change(c.hash()).isPresent()) {
        continue;
      }
      StoredChange sc = ChangeChunk.decode(c.bytes().toByteArray());
      for (int i = 0; i < sc.ops().size(); i++) {
        ChangeOp op = sc.ops().get(i);
        ObjId id = opId(sc, i);
        if (op.insert()) {
          elem(sc, op).ifPresent(anchor -> anchors.put(id, anchor));
        }
      }
    }
  }

  private void replay(StoredChange sc) {
    List<ChangeOp> ops = sc.ops();
    for (int i = 0; i < ops.size(); i++) {
      ChangeOp op = ops.get(i);
      Optional<ObjId> obj = object(sc, op);
      if (obj.isEmpty() || op.action() == Actions.MARK) {
        continue;
      }
      try {
        if (op.isMapOp()) {
          mapOp(obj.get(), op, opId(sc, i));
        } else if (op.insert()) {
          i = insert(sc, i, obj.get());
        } else {
          elementOp(sc, op, obj.get(), opId(sc, i));
        }
      } catch (InvalidOperationException x) {
        // the rebuilt document refuses it (its target changed shape): skipped, as a gone target is
      }
    }
  }

  private void mapOp(ObjId obj, ChangeOp op, ObjId id) {
    String key = op.key();
    switch (op.action()) {
      case Actions.SET -> target.put(obj, key, op.value());
      case Actions.DEL -> {
        if (target.keys(obj).contains(key)) {
          target.delete(obj, key);
        }
      }
      case Actions.INC -> {
        if (isCounter(target.get(obj, key))) {
          target.increment(obj, key, longValue(op.value()));
        }
      }
      default -> moved.put(id, target.putObject(obj, key, makeType(op.action())));
    }
  }

  private void elementOp(StoredChange sc, ChangeOp op, ObjId obj, ObjId id) {
    Optional<ObjId> old = elem(sc, op);
    if (old.isEmpty()) {
      return;
    }
    ObjId e = moved.getOrDefault(old.get(), old.get());
    OptionalInt at = indexOf(obj, e);
    if (at.isEmpty() || !visibleAt(obj, at.getAsInt(), e)) {
      return;
    }
    int index = at.getAsInt();
    boolean text = target.objType(obj).orElse(ObjType.LIST) == ObjType.TEXT;
    switch (op.action()) {
      case Actions.SET -> target.put(obj, index, op.value());
      case Actions.DEL -> {
        if (text) {
          target.spliceText(obj, index, width(obj, index), "");
        } else {
          target.delete(obj, index);
        }
      }
      case Actions.INC -> {
        if (isCounter(target.get(obj, index))) {
          target.increment(obj, index, longValue(op.value()));
        }
      }
      default -> moved.put(id, target.putObject(obj, index, makeType(op.action())));
    }
  }

  /**
   * Replays the insert at {@code ops[i]} and, into text, the run of string inserts that follows
   * it (each anchored on the one before) in one splice; returns the index of the run's last op.
   */
  private int insert(StoredChange sc, int i, ObjId obj) {
    ChangeOp op = sc.ops().get(i);
    int index = after(obj, elem(sc, op));
    if (Actions.isMake(op.action())) {
      moved.put(opId(sc, i), target.insertObject(obj, index, makeType(op.action())));
      return i;
    }
    if (target.objType(obj).orElse(ObjType.LIST) != ObjType.TEXT) {
      target.insert(obj, index, op.value());
      moved.put(opId(sc, i), elementAt(obj, index));
      return i;
    }
    StringBuilder run = new StringBuilder();
    int last = i;
    while (last < sc.ops().size() && isTextInsert(sc, last, i, obj)) {
      run.append(((ScalarValue.Str) sc.ops().get(last).value()).value());
      last++;
    }
    target.spliceText(obj, index, 0, run.toString());
    int offset = index;
    for (int k = i; k < last; k++) {
      moved.put(opId(sc, k), elementAt(obj, offset));
      offset += ((ScalarValue.Str) sc.ops().get(k).value()).value().length();
    }
    return Math.max(i, last - 1);
  }

  /** Whether {@code ops[k]} inserts a string into text {@code obj}, anchored on the op before it (from {@code first} on). */
  private boolean isTextInsert(StoredChange sc, int k, int first, ObjId obj) {
    ChangeOp op = sc.ops().get(k);
    return op.insert() && !op.isMapOp() && op.action() == Actions.SET && op.value() instanceof ScalarValue.Str
        && object(sc, op).equals(Optional.of(obj))
        && (k == first || elem(sc, op).equals(Optional.of(opId(sc, k - 1))));
  }

  /** The index just after the element {@code anchor} of an old insert names (empty: the start) in the rebuilt {@code obj}. */
  private int after(ObjId obj, Optional<ObjId> anchor) {
    Optional<ObjId> a = anchor;
    while (a.isPresent()) {
      ObjId e = moved.getOrDefault(a.get(), a.get());
      OptionalInt at = indexOf(obj, e);
      if (at.isPresent()) {
        int index = at.getAsInt();
        return visibleAt(obj, index, e) ? index + width(obj, index) : index;
      }
      a = Optional.ofNullable(anchors.get(a.get()));
    }
    return 0;
  }

  /** Where element {@code e} sits in the rebuilt {@code obj} (the next visible position if deleted); empty if it is not there. */
  private OptionalInt indexOf(ObjId obj, ObjId e) {
    try {
      return OptionalInt.of(target.resolveCursor(obj, cursor(e)));
    } catch (InvalidOperationException x) {
      return OptionalInt.empty();
    }
  }

  private boolean visibleAt(ObjId obj, int index, ObjId e) {
    return index < target.length(obj) && target.cursor(obj, index, Cursor.Move.AFTER).equals(cursor(e));
  }

  private ObjId elementAt(ObjId obj, int index) {
    Cursor c = target.cursor(obj, index, Cursor.Move.AFTER);
    return ObjId.of(c.counter(), c.actor().orElseThrow());
  }

  private int width(ObjId obj, int index) {
    if (target.objType(obj).orElse(ObjType.LIST) != ObjType.TEXT) {
      return 1;
    }
    return Character.charCount(target.text(obj).codePointAt(index));
  }

  /** The rebuilt object an old op targets: the same, or its replayed copy; empty if it is gone. */
  private Optional<ObjId> object(StoredChange sc, ChangeOp op) {
    if (op.objActor() < 0) {
      return Optional.of(ObjId.ROOT);
    }
    ObjId o = ObjId.of(op.objCtr(), actor(sc, op.objActor()));
    ObjId m = moved.get(o);
    if (m != null) {
      return Optional.of(m);
    }
    return target.objType(o).isPresent() ? Optional.of(o) : Optional.empty();
  }

  /** The element a sequence op names (empty: the start of the sequence). */
  private static Optional<ObjId> elem(StoredChange sc, ChangeOp op) {
    return op.elemActor() < 0 ? Optional.empty() : Optional.of(ObjId.of(op.elemCtr(), actor(sc, op.elemActor())));
  }

  private static ObjId opId(StoredChange sc, int i) {
    return ObjId.of(sc.startOp() + i, sc.author());
  }

  private static ActorId actor(StoredChange sc, int index) {
    return sc.actors().get(index);
  }

  private static Cursor cursor(ObjId e) {
    return Cursor.at(e.counter(), e.actor().orElseThrow(), Cursor.Move.AFTER);
  }

  private static boolean isCounter(Optional<Value> v) {
    return v.map(ScalarValue.Counter.class::isInstance).orElse(false);
  }

  /** An increment's delta (an int, or a uint that fits). */
  private static long longValue(ScalarValue v) {
    if (v instanceof ScalarValue.Uint u) {
      return u.value();
    }
    return v instanceof ScalarValue.Int i ? i.value() : 0;
  }

  private static ObjType makeType(int action) {
    return switch (action) {
      case Actions.MAKE_MAP -> ObjType.MAP;
      case Actions.MAKE_LIST -> ObjType.LIST;
      case Actions.MAKE_TEXT -> ObjType.TEXT;
      case Actions.MAKE_TABLE -> ObjType.TABLE;
      default -> throw new IllegalArgumentException("not an action that makes an object: " + Actions.name(action));
    };
  }
}
