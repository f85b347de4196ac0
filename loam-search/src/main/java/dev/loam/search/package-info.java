/**
 * Local full-text search over a repo's documents. Start with {@link dev.loam.search.SearchIndex#open}
 * on a folder for the index and a {@link dev.loam.repo.Repo}, {@link dev.loam.search.SearchIndex#catchUp}
 * with the repo's stored documents, then {@link dev.loam.search.SearchIndex#search} and
 * {@link dev.loam.search.SearchIndex#searchHistory}; the query language is described in {@link
 * dev.loam.search.SearchQuery}.
 */
@NullMarked
package dev.loam.search;

import org.jspecify.annotations.NullMarked;
