package dev.loam.search;

import dev.loam.LoamException;

/**
 * A search query that cannot run: bad syntax, or a form too expensive to allow (a leading
 * wildcard, a prefix of one letter, a fuzzy term under three letters). The message says what to
 * change. Nothing in the index changes.
 */
public final class InvalidQueryException extends LoamException {
  private final String query;

  /** {@code query} cannot run because of {@code problem}, which says what to change. */
  public InvalidQueryException(String query, String problem) {
    super("invalid search query " + quote(query) + ": " + problem);
    this.query = query;
  }

  /** The query as given. */
  public String query() {
    return query;
  }

  private static String quote(String q) {
    return "'" + q + "'";
  }
}
