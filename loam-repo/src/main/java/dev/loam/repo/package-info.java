/**
 * Many documents, as automerge-repo names and keeps them. Name documents with
 * {@link dev.loam.repo.DocumentId} ({@code DocumentId.random()}, {@code DocumentId.parse(text)})
 * and link to them with {@link dev.loam.repo.AutomergeUrl} ({@code automerge:…}). Storage lives
 * in {@code dev.loam.repo.storage}, the wire protocol in {@code dev.loam.repo.net}; plug-in
 * interfaces in {@code dev.loam.repo.spi}.
 */
@NullMarked
package dev.loam.repo;

import org.jspecify.annotations.NullMarked;
