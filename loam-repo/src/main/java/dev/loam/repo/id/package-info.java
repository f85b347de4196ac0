/**
 * The names automerge-repo gives things: {@link dev.loam.repo.id.DocumentId}
 * ({@code DocumentId.random()}, {@code DocumentId.parse(text)}), {@link dev.loam.repo.id.AutomergeUrl}
 * ({@code automerge:…} links to a document), {@link dev.loam.repo.id.PeerId} (a repo on the network)
 * and {@link dev.loam.repo.id.StorageId} (one storage). Immutable values; this package depends on
 * nothing but {@code dev.loam}, so every other package of the repo layer may use it.
 *
 * <p>A document's id, its URL and a mistyped URL:
 * {@snippet class=dev.loam.repo.id.IdExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.id;

import org.jspecify.annotations.NullMarked;
