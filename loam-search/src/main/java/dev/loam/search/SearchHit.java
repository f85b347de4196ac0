package dev.loam.search;

import dev.loam.repo.id.AutomergeUrl;
import java.util.List;

/**
 * One document that matches a query: its URL, its score (higher is better; comparable only
 * within one search), the JSON pointers of its strings that match best (best first, at most
 * three; empty for a query that only excludes), and a snippet of the best one: a stretch of its
 * text, HTML-escaped, with the matching words between {@code <b>} and {@code </b>}. Immutable.
 */
public record SearchHit(AutomergeUrl url, float score, List<String> paths, String snippet) {
  public SearchHit {
    paths = List.copyOf(paths);
  }
}
