/**
 * A change as decoded from, or encoded to, a change chunk: its metadata ({@link
 * dev.loam.internal.change.ChangeMeta}), its operations ({@link dev.loam.internal.change.ChangeOp})
 * and its exact bytes ({@link dev.loam.internal.change.StoredChange}). Exported to the CLI only,
 * for {@code loam doc examine}.
 */
@NullMarked
package dev.loam.internal.change;

import org.jspecify.annotations.NullMarked;
