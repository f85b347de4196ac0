package dev.loam.undo;

import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Transaction;
import dev.loam.internal.doc.EngineAccess;
import dev.loam.internal.doc.Reverter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reverts changes: commits one new change that undoes exactly the effects of some earlier changes
 * on a document's current state, keeping the later edits of everyone else. Stateless; each call
 * uses its document as the document's own threading rules allow (confine it, or hold the lock of
 * the {@code DocHandle} that guards it).
 *
 * <p>Example: undo everything one actor did, keeping everyone else's edits.
 * <pre>{@code
 * Document doc = Document.create();
 * ObjId text = doc.putText(ObjId.ROOT, "text", "Hello");
 * doc.commit();
 * Document assistant = doc.fork();
 * assistant.spliceText(text, 5, 0, ", world");
 * assistant.commit();
 * doc.merge(assistant);
 * doc.spliceText(text, 0, 0, ">> ");
 * doc.commit();
 * List<ChangeHash> theirs = doc.changes().stream()
 *     .filter(c -> c.actor().equals(assistant.actor())).map(Change::hash).toList();
 * Revert.revert(doc, CommitOptions.message("revert the assistant"), theirs);
 * String result = doc.text(text); // ">> Hello"
 * }</pre>
 *
 * <p>What "undoing the effects" means for each kind of operation:
 * <ul>
 *   <li>a put or delete of a map key or list element: the value it overwrote comes back (a
 *       deleted object as a new object with the old one's contents), unless someone else has
 *       changed that key or element since, when their value stays; if the value it overwrote was
 *       also overwritten concurrently by someone else, the key is cleared instead;</li>
 *   <li>inserted list elements and characters: deleted wherever they are now;</li>
 *   <li>deleted list elements and characters: back in their place, as the same elements (a
 *       {@link dev.loam.Cursor} on them keeps working);</li>
 *   <li>an increment: the same increment negated (on the counter, or on the copy that a revert
 *       of its deletion brought back);</li>
 *   <li>an object it created: deleted with the key or element that holds it;</li>
 *   <li>a mark or unmark: over the mark's current range, the other marks of that name are
 *       re-applied as if this one had not been made.</li>
 * </ul>
 * Reverting several changes at once gives the same state as reverting them one at a time, newest
 * first.
 *
 * <p>Limits. A key that held concurrent values before the change gets only the winning one back,
 * and a key whose reverted delete left a concurrent value standing keeps just that value (a new
 * operation cannot recreate a conflict). A deleted counter comes back with its total when it was
 * deleted. A deleted or replaced object comes back as a copy of its contents (its text marks with
 * the default expand, {@link dev.loam.ExpandMark#AFTER}): edits made inside the original by a
 * change reverted later, or in the same call after it, stay in the copy. Reverting several
 * overlapping marks of one name at once re-applies the earlier ones' values.
 */
public final class Revert {
  private Revert() {}

  /**
   * Commits on {@code doc} one change, with {@code options}, that undoes exactly the effects of
   * {@code changes} on its current state and keeps later edits by anyone else. Writes pending
   * directly on the document are committed first, as their own change (as {@link
   * Document#transact} does).
   *
   * @return the new change's hash, or empty if there is nothing left to undo (no change recorded)
   * @throws IllegalArgumentException naming a hash the document does not have; nothing is written
   * @throws dev.loam.InvalidOperationException if a {@code transact} body of {@code doc} is running
   */
  public static Optional<ChangeHash> revert(Document doc, CommitOptions options, Collection<ChangeHash> changes) {
    // validated before the transaction begins: a bad hash leaves no trace
    List<ChangeHash> order = Reverter.newestFirst(EngineAccess.engine(doc), changes);
    if (order.isEmpty()) {
      return Optional.empty();
    }
    return doc.transact(options, tx -> write(tx, order));
  }

  /**
   * Writes into {@code tx} (a running {@code transact} body's transaction, or a document's implicit
   * one) the operations that undo exactly the effects of {@code changes} on the current state, as
   * {@link #revert(Document, CommitOptions, Collection)} does; the caller commits them, possibly
   * with other writes. With other writes in the same transaction, the undo sees them as someone
   * else's later edits.
   *
   * @throws IllegalArgumentException naming a hash the document does not have, before writing
   *     anything; or if {@code tx} is not a Loam document or transaction
   */
  public static void revert(Transaction tx, Collection<ChangeHash> changes) {
    write(tx, Reverter.newestFirst(EngineAccess.engine(tx), changes));
  }

  private static void write(Transaction tx, List<ChangeHash> newestFirst) {
    Reverter.revert(EngineAccess.engine(tx), EngineAccess.localTx(tx), newestFirst);
  }
}
