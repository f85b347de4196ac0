package dev.loam.undo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Cursor;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.Seeds;
import dev.loam.Value;
import dev.loam.ScalarValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link UndoManager} against a plain reference model under random concurrent histories: three
 * replicas edit a text and a map of registers and sync at random; replica A also undoes and
 * redoes. After every step each replica's text (as the set of visible elements, by identity, with
 * their characters) and map (each key's set of concurrent values) must be what the model says.
 *
 * <p>The model knows no Automerge: every text element and every map key is a register of write
 * events; a write names the values it supersedes (those its author could see) and a delete is a
 * write of nothing; what a replica shows is the writes it knows that no known write supersedes.
 * Undo is the rule of the issue, stated on that model with explicit provenance (a restoring write
 * remembers what it restores): for each register the step wrote, if what the step left is still
 * all that shows, bring back what the step superseded (unless someone else superseded that too,
 * then clear); if it shows beside someone else's concurrent value, remove just it; if someone else
 * has written since, leave theirs. Redo is the same rule applied to the undo's writes.
 */
class UndoModelTest {
  private static final String[] KEYS = {"a", "b", "c"};
  private static final String CHARS = "abcdefghij";
  private static final int WINDOW_MILLIS = 500;
  private static final int MAX_DEPTH = 8;

  /** A clock the test moves by hand. */
  private static final class FakeClock implements java.time.InstantSource {
    long millis = 1_000_000;

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis);
    }
  }

  @TestFactory
  Stream<DynamicTest> undoAndRedoFollowTheModelUnderConcurrentEdits() {
    return Seeds.tests("undo against the model", seed -> new Run(new Random(seed)).run());
  }

  /**
   * One write to a register. {@code value} null is a delete; {@code supersedes} lists the writes
   * it supersedes in Loam's op-id order as its author saw them ({@code getAll}: the winner last);
   * {@code restores} is the write a restoration brings back.
   */
  private record Write(int id, String slot, String value, List<Integer> supersedes, Write restores) {}

  /** A replica: its document and the ids of the writes it knows. */
  private static final class Replica {
    final String name;
    final Document doc;
    final Set<Integer> known = new HashSet<>();

    Replica(String name, Document doc) {
      this.name = name;
      this.doc = doc;
    }
  }

  private static final class Run {
    final Random rnd;
    final List<Write> writes = new ArrayList<>();
    final List<Replica> replicas = new ArrayList<>();
    final ObjId text;
    final UndoManager undo;
    /** The model's stacks: a step is a list of changes, a change a list of writes. */
    final Deque<List<List<Write>>> undoStack = new ArrayDeque<>();
    final Deque<List<List<Write>>> redoStack = new ArrayDeque<>();
    final FakeClock clock = new FakeClock();
    long lastStep;
    boolean stopped = true;
    final StringBuilder log = new StringBuilder();
    /**
     * The Loam op id of each restoring write to a text element (what a cursor at the element names
     * while that write shows), learned right after the undo or redo that made it; an element's
     * first write is its insert, whose op id is the element's id.
     */
    final Map<Integer, String> opIdOf = new TreeMap<>();
    /** The reverse: the element (its insert's id) of each restoring write's op id. */
    final Map<String, String> slotOfOp = new TreeMap<>();
    int values;

    Run(Random rnd) {
      this.rnd = rnd;
      Document a = Document.create(ActorId.fromHex("aaaa"));
      text = a.putText(ObjId.ROOT, "t", "");
      a.commit();
      replicas.add(new Replica("A", a));
      for (String n : new String[] {"B", "C"}) {
        Document d = a.fork();
        d.setActor(ActorId.fromHex(n.equals("B") ? "bbbb" : "cccc"));
        replicas.add(new Replica(n, d));
      }
      undo = UndoManager.builder().captureWindow(java.time.Duration.ofMillis(WINDOW_MILLIS)).maxDepth(MAX_DEPTH)
          .clock(clock).build(a);
    }

    void run() {
      try {
        for (int step = 0; step < 60; step++) {
          act();
          for (Replica r : replicas) {
            check(r);
          }
        }
        for (Replica r : replicas) {
          for (Replica o : replicas) {
            merge(r, o);
          }
        }
        for (Replica r : replicas) {
          check(r);
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nhistory:" + log, e);
      }
    }

    void act() {
      int r = rnd.nextInt(100);
      Replica a = replicas.get(0);
      if (r < 15) {
        Replica x = replicas.get(rnd.nextInt(3));
        Replica y = replicas.get(rnd.nextInt(3));
        merge(x, y);
      } else if (r < 30) {
        undoOrRedo(a, true);
      } else if (r < 38) {
        undoOrRedo(a, false);
      } else if (r < 41) {
        log.append("\n  A stops capturing");
        undo.stopCapturing();
        stopped = true;
      } else {
        Replica who = replicas.get(rnd.nextInt(3));
        if (who == a) {
          clock.millis += rnd.nextInt(2) == 0 ? rnd.nextInt(WINDOW_MILLIS + 1) : WINDOW_MILLIS + 1 + rnd.nextInt(1000);
          log.append("\n  (clock ").append(clock.millis).append(')');
        }
        List<Write> made = edit(who);
        if (who == a && !made.isEmpty()) {
          recordStep(made);
        }
      }
    }

    void merge(Replica into, Replica from) {
      if (into == from) {
        return;
      }
      log.append("\n  ").append(into.name).append(" merges ").append(from.name);
      into.doc.merge(from.doc);
      into.known.addAll(from.known);
    }

    // ---- edits ----

    List<Write> edit(Replica who) {
      List<Write> made = new ArrayList<>();
      Document d = who.doc;
      int len = d.length(text);
      int kind = rnd.nextInt(4);
      java.util.function.Consumer<dev.loam.Transaction> body;
      if (kind == 0 || len == 0) {
        int at = rnd.nextInt(len + 1);
        String s = randomChars();
        log.append("\n  ").append(who.name).append(" inserts \"").append(s).append("\" at ").append(at);
        body = tx -> tx.spliceText(text, at, 0, s);
        Optional<?> done = commit(who, body);
        if (done.isPresent()) {
          for (int i = 0; i < s.length(); i++) {
            String elem = d.cursor(text, at + i, Cursor.Move.AFTER).toString();
            Write w = new Write(writes.size(), elem, String.valueOf(s.charAt(i)), List.of(), null);
            register(who, w);
            made.add(w);
          }
        }
        return made;
      } else if (kind == 1) {
        int at = rnd.nextInt(len);
        int n = 1 + rnd.nextInt(Math.min(3, len - at));
        log.append("\n  ").append(who.name).append(" deletes ").append(n).append(" at ").append(at);
        List<String> elems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String op = d.cursor(text, at + i, Cursor.Move.AFTER).toString();
          elems.add(slotOfOp.getOrDefault(op, op));
        }
        List<List<Integer>> supersedes = new ArrayList<>();
        for (String e : elems) {
          supersedes.add(visibleIds(who, e));
        }
        commit(who, tx -> tx.spliceText(text, at, n, ""));
        for (int i = 0; i < n; i++) {
          Write w = new Write(writes.size(), elems.get(i), null, supersedes.get(i), null);
          register(who, w);
          made.add(w);
        }
        return made;
      } else {
        String key = KEYS[rnd.nextInt(KEYS.length)];
        if (kind == 2 || visibleIds(who, key).isEmpty()) {
          String v = who.name + (values++);
          log.append("\n  ").append(who.name).append(" puts ").append(key).append(" = ").append(v);
          List<Integer> sup = visibleIds(who, key);
          commit(who, tx -> tx.put(ObjId.ROOT, key, v));
          Write w = new Write(writes.size(), key, v, sup, null);
          register(who, w);
          return List.of(w);
        }
        log.append("\n  ").append(who.name).append(" deletes key ").append(key);
        List<Integer> sup = visibleIds(who, key);
        commit(who, tx -> tx.delete(ObjId.ROOT, key));
        Write w = new Write(writes.size(), key, null, sup, null);
        register(who, w);
        return List.of(w);
      }
    }

    Optional<?> commit(Replica who, java.util.function.Consumer<dev.loam.Transaction> body) {
      return who == replicas.get(0) ? undo.change(body) : who.doc.transact(body);
    }

    String randomChars() {
      StringBuilder sb = new StringBuilder();
      for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
        sb.append(CHARS.charAt(rnd.nextInt(CHARS.length())));
      }
      return sb.toString();
    }

    void register(Replica who, Write w) {
      if (w.id != writes.size()) {
        throw new IllegalStateException("write ids out of step");
      }
      writes.add(w);
      who.known.add(w.id);
    }

    // ---- the model ----

    /** The writes {@code who} sees in a register; for a map key in Loam's op-id order (getAll's), a test input. */
    List<Integer> visibleIds(Replica who, String slot) {
      List<Integer> out = new ArrayList<>();
      for (int id : who.known) {
        Write w = writes.get(id);
        if (w.slot.equals(slot) && w.value != null && !supersededIn(who.known, id, null)) {
          out.add(id);
        }
      }
      if (!slot.contains("@")) {
        List<String> order = new ArrayList<>();
        for (Value v : who.doc.getAll(ObjId.ROOT, slot)) {
          order.add(((ScalarValue.Str) v).value());
        }
        out.sort(java.util.Comparator.comparingInt(id -> order.indexOf(writes.get(id).value)));
      }
      return out;
    }

    /** Whether a known write other than those in {@code except} supersedes write {@code id}. */
    boolean supersededIn(Set<Integer> known, int id, Set<Integer> except) {
      for (int k : known) {
        if ((except == null || !except.contains(k)) && writes.get(k).supersedes.contains(id)) {
          return true;
        }
      }
      return false;
    }

    /** The writes {@code w} stands for: itself and, through restorations, what it restores. */
    static boolean standsFor(Write w, Write target) {
      for (Write x = w; x != null; x = x.restores) {
        if (x == target) {
          return true;
        }
      }
      return false;
    }

    /**
     * The model's revert of one change on replica A: the writes it makes (none if nothing is left
     * to undo), registered as they are made. Per register, what the change superseded is what its
     * first write there superseded, and what it left is its last write there (nothing if that is a
     * delete).
     */
    List<Write> revert(Replica a, List<Write> change) {
      Set<Integer> inChange = new HashSet<>();
      for (Write w : change) {
        inChange.add(w.id);
      }
      List<Write> out = new ArrayList<>();
      Map<String, List<Write>> bySlot = new LinkedHashMap<>();
      for (Write w : change) {
        bySlot.computeIfAbsent(w.slot, k -> new ArrayList<>()).add(w);
      }
      for (List<Write> ws : bySlot.values()) {
        Write first = ws.get(0);
        Write last = ws.get(ws.size() - 1);
        List<Integer> now = visibleIds(a, first.slot);
        if (last.value == null) {
          if (now.isEmpty()) {
            restore(a, first, inChange, now, out);
          }
          continue;
        }
        List<Integer> mine = new ArrayList<>();
        for (int v : now) {
          if (standsFor(writes.get(v), last)) {
            mine.add(v);
          }
        }
        if (mine.isEmpty()) {
          continue;
        }
        if (mine.size() < now.size()) {
          add(a, out, new Write(writes.size(), first.slot, null, mine, null));
        } else {
          restore(a, first, inChange, now, out);
        }
      }
      return out;
    }

    /**
     * Brings back the last (in op-id order) of what {@code first} superseded that no one outside
     * the change has superseded, or clears the register.
     */
    void restore(Replica a, Write first, Set<Integer> inChange, List<Integer> now, List<Write> out) {
      Write best = null;
      for (int p : first.supersedes) {
        Write pw = writes.get(p);
        if (pw.value != null && !supersededIn(a.known, p, inChange)) {
          best = pw;
        }
      }
      if (best == null) {
        if (!now.isEmpty()) {
          add(a, out, new Write(writes.size(), first.slot, null, now, null));
        }
        return;
      }
      add(a, out, new Write(writes.size(), first.slot, best.value, now, best));
    }

    void add(Replica a, List<Write> out, Write w) {
      register(a, w);
      out.add(w);
    }

    /**
     * Undo (or redo) in the model, then in Loam: pops steps until one has something left to undo;
     * a step's changes are reverted newest first, each against what the previous left.
     */
    void undoOrRedo(Replica a, boolean undoing) {
      Deque<List<List<Write>>> from = undoing ? undoStack : redoStack;
      Deque<List<List<Write>>> to = undoing ? redoStack : undoStack;
      log.append("\n  A ").append(undoing ? "undoes" : "redoes");
      List<Write> made = new ArrayList<>();
      while (!from.isEmpty() && made.isEmpty()) {
        List<List<Write>> step = from.pop();
        for (int i = step.size() - 1; i >= 0; i--) {
          made.addAll(revert(a, step.get(i)));
        }
      }
      for (Write w : made) {
        log.append("\n    model writes ").append(w.slot).append(" = ").append(w.value).append(" over ").append(w.supersedes)
            .append(w.restores != null ? " restoring #" + w.restores.id : "").append(" #").append(w.id);
      }
      Optional<UndoManager.Result> r = undoing ? undo.undo() : undo.redo();
      assertEquals(!made.isEmpty(), r.isPresent(), "whether there was something to " + (undoing ? "undo" : "redo"));
      stopped = true;
      for (Write w : made) {
        // a restoration that shows (the model says so): the element's cursor now names its op
        if (w.value != null && w.slot.contains("@") && !supersededIn(a.known, w.id, null)) {
          int at = a.doc.resolveCursor(text, Cursor.parse(w.slot));
          String op = a.doc.cursor(text, at, Cursor.Move.AFTER).toString();
          opIdOf.put(w.id, op);
          slotOfOp.put(op, w.slot);
        }
      }
      if (!made.isEmpty()) {
        push(to, List.of(made));
      }
    }

    void push(Deque<List<List<Write>>> stack, List<List<Write>> step) {
      stack.push(step);
      while (stack.size() > MAX_DEPTH) {
        stack.removeLast();
      }
    }

    /** A's change {@code made}, committed at {@code clock}: a new step, or part of the last one within the window. */
    void recordStep(List<Write> made) {
      if (!undoStack.isEmpty() && !stopped && clock.millis - lastStep <= WINDOW_MILLIS) {
        List<List<Write>> top = new ArrayList<>(undoStack.pop());
        top.add(made);
        undoStack.push(top);
      } else {
        push(undoStack, List.of(made));
      }
      redoStack.clear();
      lastStep = clock.millis;
      stopped = false;
    }

    // ---- comparing ----

    void check(Replica r) {
      Map<String, String> expectedText = new TreeMap<>();
      Map<String, List<String>> expectedMap = new TreeMap<>();
      for (int id : r.known) {
        Write w = writes.get(id);
        if (w.value == null || supersededIn(r.known, id, null)) {
          continue;
        }
        if (w.slot.contains("@")) {
          expectedText.put(opIdOf.getOrDefault(w.id, w.slot), w.value);
        } else {
          expectedMap.computeIfAbsent(w.slot, k -> new ArrayList<>()).add(w.value);
        }
      }
      Map<String, String> actualText = new TreeMap<>();
      String s = r.doc.text(text);
      for (int i = 0; i < s.length(); i++) {
        actualText.put(r.doc.cursor(text, i, Cursor.Move.AFTER).toString(), String.valueOf(s.charAt(i)));
      }
      assertEquals(expectedText, actualText, r.name + "'s text elements (\"" + s + "\")");
      Map<String, List<String>> actualMap = new TreeMap<>();
      for (String k : KEYS) {
        List<String> vs = new ArrayList<>();
        for (Value v : r.doc.getAll(ObjId.ROOT, k)) {
          vs.add(((ScalarValue.Str) v).value());
        }
        if (!vs.isEmpty()) {
          vs.sort(null);
          actualMap.put(k, vs);
        }
      }
      expectedMap.values().forEach(l -> l.sort(null));
      assertEquals(expectedMap, actualMap, r.name + "'s map");
    }
  }
}
