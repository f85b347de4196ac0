package dev.loam.cli;

import dev.loam.search.ChangeRef;
import dev.loam.search.HistoryHit;
import dev.loam.search.SearchHit;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How {@code loam search} prints hits: one JSON array (each hit an object with {@code url},
 * {@code score}, {@code paths}, {@code snippet}; history hits add {@code present} and {@code
 * occurrences}), or blocks of text for a person, the snippet's {@code <b>} marks as terminal bold
 * or as brackets. Used by one thread.
 */
public final class SearchOutput {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String BOLD = "\u001b[1m";
  private static final String PLAIN = "\u001b[0m";

  private final boolean json;
  private final boolean bold;

  /**
   * @param json one JSON array instead of text
   * @param bold terminal bold for matches in text output (else brackets)
   */
  public SearchOutput(boolean json, boolean bold) {
    this.json = json;
    this.bold = bold;
  }

  /** A hit and the URL to show for its document ({@code automerge:} or {@code loam-secure:}). */
  public record Found<T>(String url, T hit) {}

  /** The hits of a search of the current text, best first. */
  public String hits(List<Found<SearchHit>> found) {
    if (json) {
      ArrayNode a = JSON.createArrayNode();
      for (Found<SearchHit> f : found) {
        SearchHit h = f.hit();
        hit(a.addObject(), f.url(), h.score(), h.paths(), h.snippet());
      }
      return a + "\n";
    }
    StringBuilder s = new StringBuilder();
    for (Found<SearchHit> f : found) {
      SearchHit h = f.hit();
      block(s, f.url(), h.paths(), h.snippet());
      s.append("  score ").append(String.format(java.util.Locale.ROOT, "%.3f", h.score())).append('\n');
    }
    return s.append(count(found.size())).toString();
  }

  /**
   * The hits of a history search. Each is a hit object as {@link #hits} prints (its score the
   * number of appearances, its paths those of the appearances, its snippet the latest one's) with
   * whether the current text holds the query and every appearance with the change that inserted it
   * and the one that deleted it.
   */
  String history(List<Found<HistoryHit>> found) {
    if (json) {
      ArrayNode a = JSON.createArrayNode();
      for (Found<HistoryHit> f : found) {
        HistoryHit h = f.hit();
        ObjectNode o = a.addObject();
        hit(o, f.url(), h.occurrences().size(), paths(h), latestSnippet(h));
        o.put("present", h.present());
        ArrayNode occ = o.putArray("occurrences");
        for (HistoryHit.Occurrence c : h.occurrences()) {
          ObjectNode e = occ.addObject();
          e.put("path", c.path());
          e.put("snippet", c.snippet());
          change(e.putObject("inserted"), c.inserted());
          if (c.deleted().isPresent()) {
            change(e.putObject("deleted"), c.deleted().get());
          } else {
            e.putNull("deleted");
          }
        }
      }
      return a + "\n";
    }
    StringBuilder s = new StringBuilder();
    for (Found<HistoryHit> f : found) {
      HistoryHit h = f.hit();
      s.append(f.url()).append(h.present() ? "" : "  (no longer present)").append('\n');
      for (HistoryHit.Occurrence c : h.occurrences()) {
        s.append("  ").append(c.path()).append(": ").append(marked(c.snippet())).append('\n');
        s.append("    inserted by ").append(describe(c.inserted())).append('\n');
        c.deleted().ifPresent(d -> s.append("    deleted by  ").append(describe(d)).append('\n'));
      }
    }
    return s.append(count(found.size())).toString();
  }

  private static void hit(ObjectNode o, String url, float score, List<String> paths, String snippet) {
    o.put("url", url);
    o.put("score", score);
    ArrayNode p = o.putArray("paths");
    paths.forEach(p::add);
    o.put("snippet", snippet);
  }

  private static void change(ObjectNode o, ChangeRef c) {
    o.put("hash", c.hash().toString());
    o.put("time", c.time());
    o.put("actor", c.actor().toString());
  }

  private static List<String> paths(HistoryHit h) {
    Set<String> p = new LinkedHashSet<>();
    h.occurrences().forEach(c -> p.add(c.path()));
    return List.copyOf(p);
  }

  private static String latestSnippet(HistoryHit h) {
    return h.occurrences().isEmpty() ? "" : h.occurrences().getLast().snippet();
  }

  private void block(StringBuilder s, String url, List<String> paths, String snippet) {
    s.append(url).append('\n');
    if (!paths.isEmpty()) {
      s.append("  in ").append(String.join(", ", paths)).append('\n');
    }
    if (!snippet.isEmpty()) {
      s.append("  ").append(marked(snippet)).append('\n');
    }
  }

  private static String describe(ChangeRef c) {
    String when = c.time() == 0 ? "no time" : Instant.ofEpochSecond(c.time()).toString();
    return c.hash().toString().substring(0, 12) + " (" + when + ", actor " + c.actor() + ")";
  }

  private static String count(int n) {
    return n == 0 ? "no documents match\n" : "";
  }

  /** A snippet for a person: the marks as bold or brackets, the HTML escapes undone, on one line. */
  private String marked(String snippet) {
    String s = snippet.replace("<b>", bold ? BOLD : "[").replace("</b>", bold ? PLAIN : "]")
        .replaceAll("\\s*\\R\\s*", " ");
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'")
        .replace("&#39;", "'").replace("&#x2F;", "/").replace("&amp;", "&");
  }
}
