/**
 * Undo, redo and revert for Loam documents. Start with {@link dev.loam.undo.Revert#revert}, which
 * undoes any set of changes in one new change and keeps everyone else's later edits.
 */
@NullMarked
package dev.loam.undo;

import org.jspecify.annotations.NullMarked;
