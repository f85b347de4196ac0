package dev.loam.cli;

import dev.loam.ExpandMark;
import dev.loam.LoamException;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import dev.loam.cli.JsonPointer.Container;
import dev.loam.cli.JsonValues.As;
import dev.loam.cli.JsonValues.Slot;
import tools.jackson.databind.JsonNode;

/** One operation of {@code loam doc edit}, applied to a transaction in command-line order. */
public sealed interface EditOp {
  /** How the operation was written, for error messages: {@code --put /a/b}. */
  String label();

  /** Applies this operation to {@code tx}; fails with a {@link CliException} or a {@link LoamException} saying why. */
  void applyTo(Transaction tx);

  /** Applies this operation, prefixing any failure with its label. */
  default void apply(Transaction tx) {
    try {
      applyTo(tx);
    } catch (CliException | LoamException e) {
      throw new CliException(label() + ": " + Main.oneLine(e.getMessage()), e);
    }
  }

  /** {@code --put PATH JSON [--as TYPE]}: sets a map key, or replaces a list element. */
  public record Put(JsonPointer path, JsonNode value, As as) implements EditOp {
    @Override
    public String label() {
      return "--put " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      if (path.isRoot()) {
        throw new CliException("the root cannot be replaced");
      }
      Container parent = path.parent(tx);
      Slot slot;
      if (parent.isMap()) {
        slot = Slot.key(parent.id(), path.last());
      } else if (parent.type() == ObjType.LIST) {
        int index = JsonPointer.index(path.last(), path.text());
        if (index >= tx.length(parent.id())) {
          throw new CliException("no such index (use --insert to add an element)");
        }
        slot = Slot.at(parent.id(), index);
      } else {
        throw new CliException("a path cannot descend into text (use --splice)");
      }
      write(tx, slot, value, as);
    }
  }

  /** {@code --insert PATH JSON [--as TYPE]}: inserts into a list before an index, or at the end ({@code -}). */
  public record Insert(JsonPointer path, JsonNode value, As as) implements EditOp {
    @Override
    public String label() {
      return "--insert " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      if (path.isRoot()) {
        throw new CliException("the root is a map, not a list element");
      }
      Container parent = path.parent(tx);
      if (parent.type() != ObjType.LIST) {
        throw new CliException("--insert works on lists only; this is in a " + parent.type().name().toLowerCase(java.util.Locale.ROOT));
      }
      int length = tx.length(parent.id());
      int index = path.last().equals("-") ? length : JsonPointer.index(path.last(), path.text());
      if (index > length) {
        throw new CliException("index out of range: the list has " + length + " elements");
      }
      write(tx, Slot.insertAt(parent.id(), index), value, as);
    }
  }

  private static void write(Transaction tx, Slot slot, JsonNode value, As as) {
    if (as == null) {
      JsonValues.write(tx, slot, value);
    } else {
      JsonValues.write(tx, slot, value, as);
    }
  }

  /** {@code --delete PATH}: removes a map key (a missing key is ignored) or a list element. */
  public record Delete(JsonPointer path) implements EditOp {
    @Override
    public String label() {
      return "--delete " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      if (path.isRoot()) {
        throw new CliException("the root cannot be deleted");
      }
      Container parent = path.parent(tx);
      if (parent.isMap()) {
        tx.delete(parent.id(), path.last());
      } else if (parent.type() == ObjType.LIST) {
        int index = JsonPointer.index(path.last(), path.text());
        if (index >= tx.length(parent.id())) {
          throw new CliException("no such index");
        }
        tx.delete(parent.id(), index);
      } else {
        throw new CliException("a path cannot descend into text (use --splice)");
      }
    }
  }

  /** {@code --splice PATH INDEX DELETE TEXT}: edits a text, in UTF-16 code units. */
  public record Splice(JsonPointer path, int index, int delete, String text) implements EditOp {
    @Override
    public String label() {
      return "--splice " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      Container t = textObject(tx, path);
      int length = tx.length(t.id());
      if (index > length || delete > length - index) {
        throw new CliException("range " + index + "+" + delete + " is outside the text's " + length + " UTF-16 units");
      }
      tx.spliceText(t.id(), index, delete, text);
    }
  }

  /** {@code --increment PATH N}: adds N (possibly negative) to a counter. */
  public record Increment(JsonPointer path, long by) implements EditOp {
    @Override
    public String label() {
      return "--increment " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      if (path.isRoot()) {
        throw new CliException("the root is not a counter");
      }
      Container parent = path.parent(tx);
      if (parent.isMap()) {
        requireCounter(tx.get(parent.id(), path.last()).orElse(null));
        tx.increment(parent.id(), path.last(), by);
      } else if (parent.type() == ObjType.LIST) {
        int index = JsonPointer.index(path.last(), path.text());
        requireCounter(tx.get(parent.id(), index).orElse(null));
        tx.increment(parent.id(), index, by);
      } else {
        throw new CliException("a path cannot descend into text (use --splice)");
      }
    }

    private static void requireCounter(Value v) {
      if (v == null) {
        throw new CliException("no such value");
      }
      if (!(v instanceof ScalarValue.Counter)) {
        throw new CliException("not a counter (create one with --put PATH N --as counter)");
      }
    }
  }

  /** {@code --mark PATH START END NAME JSON [--expand E]}: sets a mark over a text range. */
  public record Mark(JsonPointer path, int start, int end, String name, ScalarValue value, ExpandMark expand) implements EditOp {
    @Override
    public String label() {
      return "--mark " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      Container t = textObject(tx, path);
      checkRange(tx, t, start, end);
      tx.mark(t.id(), start, end, name, value, expand);
    }
  }

  /** {@code --unmark PATH START END NAME [--expand E]}: removes a mark from a text range. */
  public record Unmark(JsonPointer path, int start, int end, String name, ExpandMark expand) implements EditOp {
    @Override
    public String label() {
      return "--unmark " + path;
    }

    @Override
    public void applyTo(Transaction tx) {
      Container t = textObject(tx, path);
      checkRange(tx, t, start, end);
      tx.unmark(t.id(), start, end, name, expand);
    }
  }

  private static Container textObject(Transaction tx, JsonPointer path) {
    Container c = path.object(tx);
    if (c.type() != ObjType.TEXT) {
      throw new CliException("not a text but a " + c.type().name().toLowerCase(java.util.Locale.ROOT));
    }
    return c;
  }

  private static void checkRange(Transaction tx, Container t, int start, int end) {
    int length = tx.length(t.id());
    if (start > end || end > length) {
      throw new CliException("range " + start + ".." + end + " is outside the text's " + length + " UTF-16 units");
    }
  }
}
