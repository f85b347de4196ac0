/**
 * Typed documents: Java records and Kotlin data classes read from and written to Loam documents.
 * Start with {@link dev.loam.typed.Mapper#of(Class)} to read a document as a record and to
 * reconcile a new record value into it, or wrap a repo's handle in a
 * {@link dev.loam.typed.TypedHandle} to read, update and follow it as values, with listeners run on
 * an executor of the app's choice.
 *
 * <p>Two replicas write new values concurrently; the merge keeps both sides' edits:
 * {@snippet class=dev.loam.typed.TypedExampleTest region=example}
 */
@NullMarked
package dev.loam.typed;

import org.jspecify.annotations.NullMarked;
