/**
 * Local full-text search over a repo's documents. Start with {@link dev.loam.search.SearchIndex#open}
 * on a folder for the index and a {@link dev.loam.repo.Repo}, {@link dev.loam.search.SearchIndex#catchUp}
 * with the repo's stored documents, then {@link dev.loam.search.SearchIndex#search} and
 * {@link dev.loam.search.SearchIndex#searchHistory}; {@link dev.loam.search.SearchIndex#search}
 * describes the query language. The index folder is derived data: a corrupt or missing one is
 * rebuilt from the documents.
 *
 * <p>An index over a repo finds a change by the next search:
 * {@snippet class=dev.loam.search.SearchExampleTest region=example}
 */
@NullMarked
package dev.loam.search;

import org.jspecify.annotations.NullMarked;
