package dev.loam.undo;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.Transaction;
import dev.loam.Value;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Undo and redo of one user's own changes to one document, correct after collaborators' changes
 * have been merged: an undo reverts the user's last step against the current state ({@link
 * Revert}), so it removes the user's inserted characters wherever they moved, brings deleted text
 * back in place, and restores a value the user overwrote unless someone else has changed it since
 * (then theirs stays). Collaborators' changes are never undone.
 *
 * <p>Steps. The manager's steps are the changes of the document's own actor (its user): those made
 * through {@link #change} and, picked up by {@link #capture}, those made on the target directly.
 * Each change is a step of its own when the capture window is zero ({@link Builder#captureWindow});
 * otherwise a change captured within the window after the previous one joins its step, so a run of
 * typing undoes as one. {@link #stopCapturing()} ends a step early. At most {@link
 * Builder#maxDepth} steps are kept; the oldest go first. A new step empties the redo stack.
 *
 * <p>Redo reverts the undo's own change, so it restores what the undo removed with the same care;
 * an undo after a redo reverts the redo's change. A step that has nothing left to undo (others
 * have changed everything it did) is dropped and the next one is tried.
 *
 * <p>Cursors. A step may carry the caret as it was before the step ({@link #change(CursorPosition,
 * Consumer)}); undo returns it, so the caret goes back to where the user was. Otherwise, and for
 * redo, the result's caret is the end of the last list or text edit the undo or redo made (in
 * document order), or empty if it edited no list or text.
 *
 * <p>Example:
 * <pre>{@code
 * Document doc = Document.create();
 * ObjId text = doc.putText(ObjId.ROOT, "text", "");
 * doc.commit();
 * UndoManager undo = UndoManager.builder().build(doc); // steps from here on
 * undo.change(tx -> tx.spliceText(text, 0, 0, "Hello"));
 * undo.change(tx -> tx.spliceText(text, 5, 0, " world"));
 * undo.undo();   // "Hello"
 * undo.redo();   // "Hello world"
 * }</pre>
 *
 * <p>Not thread-safe: use a manager from one thread (an editor's UI thread). Over a {@code
 * DocHandle} it blocks as the handle's {@code read} and {@code change} do; collaborators' changes
 * may arrive on other threads at any time, and each undo works on the state it finds.
 */
public final class UndoManager {
  /**
   * What an undo or redo did.
   *
   * @param change the change it committed
   * @param cursor where the caret goes now, if known (see the class comment)
   */
  public record Result(ChangeHash change, Optional<CursorPosition> cursor) {}

  /** A step: the changes to revert together, and the caret before them if the app gave one. */
  private record Step(List<ChangeHash> changes, Optional<CursorPosition> before) {}

  private final UndoTarget target;
  private final InstantSource clock;
  private final long windowMillis;
  private final int maxDepth;
  private final CommitOptions undoOptions;
  private final CommitOptions redoOptions;
  private final Deque<Step> undoStack = new ArrayDeque<>();
  private final Deque<Step> redoStack = new ArrayDeque<>();
  /**
   * The document's heads when the manager last looked for new changes; moved past each change the
   * manager commits itself, so its undo and redo changes are never captured as the user's steps.
   */
  private Heads seen;
  private long lastCapture;
  /** Whether the next captured change must start a new step. */
  private boolean stopped = true;

  private UndoManager(Builder b, UndoTarget target) {
    this.target = target;
    this.clock = b.clock;
    this.windowMillis = b.window.toMillis();
    this.maxDepth = b.maxDepth;
    this.undoOptions = b.undoOptions;
    this.redoOptions = b.redoOptions;
    this.seen = target.read(Document::heads);
  }

  /** A builder with a zero capture window (one step per change), depth 100 and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code body} as a change on the target and records it as a step (or as part of the
   * current one, within the capture window).
   *
   * @return the change's hash, or empty if {@code body} wrote nothing
   */
  public Optional<ChangeHash> change(Consumer<Transaction> body) {
    return commit(CommitOptions.DEFAULT, Optional.empty(), body);
  }

  /** As {@link #change(Consumer)}, remembering the caret before the change for {@link #undo()}. */
  public Optional<ChangeHash> change(CursorPosition before, Consumer<Transaction> body) {
    return commit(CommitOptions.DEFAULT, Optional.of(before), body);
  }

  /** As {@link #change(Consumer)}, committed with {@code options}. */
  public Optional<ChangeHash> change(CommitOptions options, Consumer<Transaction> body) {
    return commit(options, Optional.empty(), body);
  }

  /** As {@link #change(CursorPosition, Consumer)}, committed with {@code options}. */
  public Optional<ChangeHash> change(CommitOptions options, CursorPosition before, Consumer<Transaction> body) {
    return commit(options, Optional.of(before), body);
  }

  private Optional<ChangeHash> commit(CommitOptions options, Optional<CursorPosition> before, Consumer<Transaction> body) {
    capture();
    Optional<ChangeHash> hash = target.change(options, body);
    hash.ifPresent(h -> {
      record(h, before);
      seen = target.read(Document::heads);
    });
    return hash;
  }

  /**
   * Records as steps the changes the document's own actor has made on the target since the
   * manager last looked (changes made outside {@link #change}, e.g. through the {@code DocHandle}
   * directly); collaborators' changes are skipped. Call it after each such change for the capture
   * window to group them by when they were made.
   */
  public void capture() {
    List<Change> fresh = target.read(d -> {
      Heads now = d.heads();
      if (now.equals(seen)) {
        return List.<Change>of();
      }
      List<Change> mine = new ArrayList<>();
      ActorId me = d.actor();
      for (Change c : d.changesSince(seen)) {
        if (c.actor().equals(me)) {
          mine.add(c);
        }
      }
      seen = now;
      return mine;
    });
    for (Change c : fresh) {
      record(c.hash(), Optional.empty());
    }
  }

  private void record(ChangeHash h, Optional<CursorPosition> before) {
    long now = clock.millis();
    Step top = undoStack.peek();
    if (top != null && !stopped && windowMillis > 0 && now - lastCapture <= windowMillis) {
      List<ChangeHash> joined = new ArrayList<>(top.changes());
      joined.add(h);
      undoStack.pop();
      undoStack.push(new Step(List.copyOf(joined), top.before()));
    } else {
      undoStack.push(new Step(List.of(h), before));
      while (undoStack.size() > maxDepth) {
        undoStack.removeLast();
      }
    }
    redoStack.clear();
    lastCapture = now;
    stopped = false;
  }

  /** Ends the current step: the next change starts a new one, even within the capture window. */
  public void stopCapturing() {
    stopped = true;
  }

  /**
   * Undoes the last step that still has an effect: commits one change reverting it and moves it to
   * the redo stack. Empty if no step has anything left to undo.
   */
  public Optional<Result> undo() {
    capture();
    return pop(undoStack, redoStack, undoOptions, true);
  }

  /** Redoes the last undone step (reverting its undo); empty if there is none to redo. */
  public Optional<Result> redo() {
    capture();
    return pop(redoStack, undoStack, redoOptions, false);
  }

  private Optional<Result> pop(Deque<Step> from, Deque<Step> to, CommitOptions options, boolean undoing) {
    stopped = true;
    while (!from.isEmpty()) {
      Step step = from.pop();
      Optional<ChangeHash> made = target.revert(options, step.changes());
      if (made.isEmpty()) {
        continue;
      }
      ChangeHash h = made.get();
      Optional<CursorPosition> caret = undoing && step.before().isPresent()
          ? step.before()
          : target.read(d -> caretAfter(d, Heads.of(d.change(h).orElseThrow().deps()), Heads.of(h)));
      to.push(new Step(List.of(h), step.before()));
      while (to.size() > maxDepth) {
        to.removeLast();
      }
      seen = target.read(Document::heads);
      return Optional.of(new Result(h, caret));
    }
    return Optional.empty();
  }

  /** Whether there is a step to undo (after taking in this actor's changes made directly on the target). */
  public boolean canUndo() {
    capture();
    return !undoStack.isEmpty();
  }

  /** Whether there is an undone step to redo (after taking in this actor's direct changes, which empty the redo stack). */
  public boolean canRedo() {
    capture();
    return !redoStack.isEmpty();
  }

  /** How many steps can be undone (some may turn out to have nothing left to undo). */
  public int undoDepth() {
    return undoStack.size();
  }

  /** How many undone steps can be redone. */
  public int redoDepth() {
    return redoStack.size();
  }

  /** Forgets every step: what the document holds now is the new starting point. */
  public void clear() {
    undoStack.clear();
    redoStack.clear();
    seen = target.read(Document::heads);
    stopped = true;
  }

  /** The end of the last list or text edit between {@code before} and {@code after}, in document order. */
  private static Optional<CursorPosition> caretAfter(Document d, Heads before, Heads after) {
    List<Patch> patches = d.diff(before, after);
    for (int i = patches.size() - 1; i >= 0; i--) {
      Patch p = patches.get(i);
      int length = switch (p) {
        case Patch.SpliceText s -> s.value().length();
        case Patch.Insert s -> s.values().size();
        case Patch.Delete s -> 0;
        case Patch.Put s -> -1;
        case Patch.Increment s -> -1;
        case Patch.MarkSet s -> -1;
        case Patch.Conflict s -> -1;
      };
      List<Prop> path = p.path();
      if (length < 0 || path.isEmpty() || !(path.get(path.size() - 1) instanceof Prop.Index at)) {
        continue;
      }
      Optional<ObjId> obj = resolve(d, path.subList(0, path.size() - 1));
      if (obj.isPresent()) {
        return Optional.of(CursorPosition.at(d, obj.get(), at.index() + length));
      }
    }
    return Optional.empty();
  }

  /** The object at {@code path} from the root, if the path leads to one. */
  private static Optional<ObjId> resolve(Document d, List<Prop> path) {
    ObjId obj = ObjId.ROOT;
    for (Prop step : path) {
      Optional<Value> v = switch (step) {
        case Prop.Key k -> d.get(obj, k.key());
        case Prop.Index i -> d.get(obj, i.index());
      };
      if (v.isEmpty() || !(v.get() instanceof Value.Obj o)) {
        return Optional.empty();
      }
      obj = o.id();
    }
    return Optional.of(obj);
  }

  /** Settings of an {@link UndoManager}. Not thread-safe; {@link #build} as often as needed. */
  public static final class Builder {
    private Duration window = Duration.ZERO;
    private int maxDepth = 100;
    private InstantSource clock = InstantSource.system();
    private CommitOptions undoOptions = CommitOptions.message("undo");
    private CommitOptions redoOptions = CommitOptions.message("redo");

    private Builder() {}

    /** Changes captured within {@code window} of the previous one join its step; zero (the default) makes each change a step. */
    public Builder captureWindow(Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException("the capture window is negative: " + window);
      }
      this.window = window;
      return this;
    }

    /** How many steps to keep (default 100); the oldest go first. */
    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 1) {
        throw new IllegalArgumentException("the maximum depth must be at least 1: " + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /** Where the capture window's time comes from (default the system clock); tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The message and time of undo and of redo changes (defaults: messages "undo" and "redo"). */
    public Builder commitOptions(CommitOptions undo, CommitOptions redo) {
      this.undoOptions = Objects.requireNonNull(undo);
      this.redoOptions = Objects.requireNonNull(redo);
      return this;
    }

    /** A manager of {@code target}'s steps from now on (its earlier changes are not steps). */
    public UndoManager build(UndoTarget target) {
      return new UndoManager(this, Objects.requireNonNull(target));
    }

    /** A manager of a plain document's steps from now on; confine both to one thread. */
    public UndoManager build(Document doc) {
      return build(UndoTarget.of(doc));
    }
  }
}
