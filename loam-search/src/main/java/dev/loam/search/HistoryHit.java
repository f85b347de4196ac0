package dev.loam.search;

import dev.loam.repo.id.AutomergeUrl;
import java.util.List;
import java.util.Optional;

/**
 * One document whose text held a query in some version: its URL and each time the query's text
 * appeared in it, oldest first. Immutable.
 *
 * @param present whether the document's current state still holds it
 */
public record HistoryHit(AutomergeUrl url, List<Occurrence> occurrences, boolean present) {
  public HistoryHit {
    occurrences = List.copyOf(occurrences);
  }

  /**
   * One appearance: the change that inserted it and, if it is gone, the change that deleted it;
   * the JSON pointer of the string it appeared in and a snippet of that string when it was there
   * (HTML-escaped, the match between {@code <b>} and {@code </b>}).
   */
  public record Occurrence(String path, ChangeRef inserted, Optional<ChangeRef> deleted, String snippet) {}
}
