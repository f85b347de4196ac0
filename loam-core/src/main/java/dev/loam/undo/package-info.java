/**
 * Undo, redo and revert for Loam documents. An editor gives its user undo and redo of their own
 * changes with an {@link dev.loam.undo.UndoManager} over a document or a repo's {@code DocHandle}
 * (an {@link dev.loam.undo.UndoTarget}); {@link dev.loam.undo.Revert#revert} undoes any set of
 * changes (say, everything an assistant did today) in one new change, keeping everyone else's
 * later edits.
 *
 * <p>Undo removes my typing and keeps a collaborator's:
 * {@snippet class=dev.loam.undo.UndoExampleTest region=example}
 */
@NullMarked
package dev.loam.undo;

import org.jspecify.annotations.NullMarked;
