/**
 * Loam's local search: a Lucene full-text index of a repo's documents, kept current by the repo's
 * events, rebuildable from the documents, with a search of their history.
 *
 * <p>Exported packages:
 * <pre>
 * dev.loam.search  SearchIndex, its hits and query errors
 * </pre>
 */
module dev.loam.search {
  requires transitive dev.loam.repo;
  // transitive: the public API carries JSpecify annotations
  requires static transitive org.jspecify;
  requires org.apache.lucene.core;
  requires org.apache.lucene.join;
  requires org.apache.lucene.queries;

  exports dev.loam.search;
}
