package dev.loam.undo;

import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Transaction;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an {@link UndoManager} works on: a document it can read, change and revert. A repo's {@code
 * DocHandle} is one (its methods of the same names serialise with its other changes, notify
 * listeners, save and sync); {@link #of(Document)} makes one of a plain document. Implementations
 * say their own threading contract; the undo manager calls them from its caller's thread.
 */
public interface UndoTarget {
  /** Runs {@code reader} on the document and returns its result; the document must not be kept. */
  <T> T read(Function<? super Document, T> reader);

  /** Runs {@code body} in a transaction and commits it with {@code options}; empty if it wrote nothing. */
  Optional<ChangeHash> change(CommitOptions options, Consumer<Transaction> body);

  /** Commits one change undoing {@code changes}, as {@link Revert#revert(Document, CommitOptions, Collection)}. */
  Optional<ChangeHash> revert(CommitOptions options, Collection<ChangeHash> changes);

  /** {@code doc} as a target; as thread-safe as the document (not: confine both to one thread). */
  static UndoTarget of(Document doc) {
    return new UndoTarget() {
      @Override
      public <T> T read(Function<? super Document, T> reader) {
        return reader.apply(doc);
      }

      @Override
      public Optional<ChangeHash> change(CommitOptions options, Consumer<Transaction> body) {
        return doc.transact(options, body);
      }

      @Override
      public Optional<ChangeHash> revert(CommitOptions options, Collection<ChangeHash> changes) {
        return Revert.revert(doc, options, changes);
      }
    };
  }
}
