package dev.loam.search;

import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.repo.id.AutomergeUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Searches one document's history for a word or phrase, as {@code git log -S}: which changes
 * made it appear and which made it go.
 *
 * <p>Implementation notes. The changes are replayed in the document's application order (every
 * change after its dependencies). After change {@code c} the state is the one at the heads of the
 * changes so far; {@link Document#diff} between the states before and after {@code c} names the
 * objects {@code c} touched, and only the strings under them are read again (as of the new state)
 * and their matches counted, so unchanged strings are never re-tokenized. A string whose count
 * rises gained appearances (inserted by {@code c}), one whose count falls lost some (deleted by
 * {@code c}). Within one change, appearances lost in one string and gained in another cancel out
 * (as {@code git log -S} counts), so an appearance whose string only moved (a list element shifted
 * to another index, so another pointer) is carried over, not reported as deleted and inserted; it
 * is paired preferably with a string that moved unchanged. Concurrent branches are seen in
 * that linear order, as a merge of them would show them.
 *
 * <p>Cost: per change, one diff plus linear work in the strings it touched. The diff visits the
 * ops of the objects reachable in either state (the work the repo did to tell listeners about the
 * change when it arrived), so a document's replay costs O(changes × size): negligible for notes
 * with hundreds of changes, but quadratic for a long history of keystrokes (4,000 one-character
 * changes to one text take about two seconds). The public document API offers no cheaper way to
 * learn what one change touched; a core API giving a change's patches against its dependencies
 * would make the replay linear. Stateless.
 */
final class HistorySearch {
  private static final int CONTEXT = 40;

  private HistorySearch() {}

  /**
   * The tokens {@code query} looks for (quotes around a phrase are optional).
   *
   * @throws InvalidQueryException if it has no letters or digits
   */
  static List<Tokens.Token> terms(String query) {
    List<Tokens.Token> terms = Tokens.of(query);
    if (terms.isEmpty()) {
      throw new InvalidQueryException(query, "a history search needs a word or phrase of letters or digits");
    }
    return terms;
  }

  /** How many times {@code terms} (a query's tokens) appear in {@code text}. */
  static int count(String text, List<Tokens.Token> terms) {
    List<Tokens.Token> tokens = Tokens.of(text);
    int n = 0;
    for (int i = 0; i < tokens.size(); i++) {
      n += Tokens.matchesAt(tokens, i, terms) ? 1 : 0;
    }
    return n;
  }

  /** One appearance while it is being tracked. */
  private static final class Open {
    String path;
    final int seq;
    final ChangeRef inserted;
    final String snippet;

    Open(String path, int seq, ChangeRef inserted, String snippet) {
      this.path = path;
      this.seq = seq;
      this.inserted = inserted;
      this.snippet = snippet;
    }
  }

  /** The appearances of {@code terms} in {@code doc}'s history, or empty if it never held them. */
  static Optional<HistoryHit> search(Document doc, List<Tokens.Token> terms, AutomergeUrl url) {
    NavigableMap<String, String> strings = new TreeMap<>();
    List<Open> open = new ArrayList<>();
    List<Open> closed = new ArrayList<>();
    List<ChangeRef> deletedBy = new ArrayList<>();
    Set<ChangeHash> heads = new HashSet<>();
    Heads before = Heads.EMPTY;
    int seq = 0;
    for (Change c : doc.changes()) {
      c.deps().forEach(heads::remove);
      heads.add(c.hash());
      Heads after = Heads.of(heads);
      List<Patch> patches = doc.diff(before, after);
      Map<String, Integer> delta = new LinkedHashMap<>();
      Map<String, String> changedText = new HashMap<>();
      Map<String, String> oldText = new HashMap<>();
      for (List<Prop> container : containers(patches)) {
        String pointer = pointer(container);
        for (String p : under(strings, pointer)) {
          String text = strings.remove(p);
          oldText.putIfAbsent(p, text);
          delta.merge(p, -count(text, terms), Integer::sum);
        }
        for (DocText.Entry e : DocText.under(doc, after, container)) {
          strings.put(e.path(), e.text());
          changedText.put(e.path(), e.text());
          delta.merge(e.path(), count(e.text(), terms), Integer::sum);
        }
      }
      ChangeRef ref = ChangeRef.of(c);
      List<Open> detached = new ArrayList<>();
      for (Map.Entry<String, Integer> e : delta.entrySet()) {
        for (int k = 0; k < -e.getValue(); k++) {
          Open o = lastAt(open, e.getKey());
          open.remove(o);
          detached.add(o);
        }
      }
      for (Map.Entry<String, Integer> e : delta.entrySet()) {
        String path = e.getKey();
        String text = changedText.get(path);
        for (int k = 0; k < e.getValue(); k++) {
          // what one change takes from one string and gives to another is no net change (as git
          // log -S counts); a string that moved unchanged (a list element shifted) is the best match
          Optional<Open> moved = detached.stream().filter(o -> text.equals(oldText.get(o.path))).findFirst()
              .or(() -> detached.stream().findFirst());
          if (moved.isPresent()) {
            detached.remove(moved.get());
            moved.get().path = path;
            open.add(moved.get());
          } else {
            open.add(new Open(path, seq, ref, snippet(text, terms)));
          }
        }
      }
      for (Open o : detached) {
        closed.add(o);
        deletedBy.add(ref);
      }
      before = after;
      seq++;
    }
    List<Open> every = new ArrayList<>(closed);
    every.addAll(open);
    if (every.isEmpty()) {
      return Optional.empty();
    }
    List<HistoryHit.Occurrence> all = new ArrayList<>();
    for (int i = 0; i < every.size(); i++) {
      Open o = every.get(i);
      all.add(new HistoryHit.Occurrence(o.path, o.inserted, i < closed.size() ? Optional.of(deletedBy.get(i)) : Optional.empty(),
          o.snippet));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < every.size(); i++) {
      order.add(i);
    }
    order.sort(java.util.Comparator.comparingInt(i -> every.get(i).seq));
    return Optional.of(new HistoryHit(url, order.stream().map(all::get).toList(), !open.isEmpty()));
  }

  private static Open lastAt(List<Open> open, String path) {
    for (int i = open.size() - 1; i >= 0; i--) {
      if (open.get(i).path.equals(path)) {
        return open.get(i);
      }
    }
    throw new IllegalStateException("no appearance tracked at " + path);
  }

  /** The pointers in {@code strings} at or under {@code pointer} ("" is the root: all). */
  private static List<String> under(NavigableMap<String, String> strings, String pointer) {
    if (pointer.isEmpty()) {
      return new ArrayList<>(strings.keySet());
    }
    List<String> out = new ArrayList<>();
    if (strings.containsKey(pointer)) {
      out.add(pointer);
    }
    out.addAll(strings.subMap(pointer + "/", true, pointer + "0", false).keySet()); // '0' follows '/'
    return out;
  }

  /** The objects whose strings a diff's patches may have changed: the path to re-read for each. */
  static Set<List<Prop>> containers(List<Patch> patches) {
    Set<List<Prop>> out = new java.util.LinkedHashSet<>();
    for (Patch p : patches) {
      List<Prop> path = p.path();
      switch (p) {
        case Patch.Put put -> out.add(path);
        case Patch.Insert ins -> out.add(path.subList(0, path.size() - 1));
        case Patch.SpliceText s -> out.add(path.subList(0, path.size() - 1));
        case Patch.Delete d -> out.add(path.subList(0, path.size() - 1));
        case Patch.Increment i -> { }
        case Patch.MarkSet m -> { }
        case Patch.Conflict c -> { }
      }
    }
    return out;
  }

  /** {@code path} as a JSON pointer ("" for the root). */
  static String pointer(List<Prop> path) {
    StringBuilder b = new StringBuilder();
    for (Prop p : path) {
      b.append('/');
      switch (p) {
        case Prop.Key k -> b.append(DocText.escape(k.key()));
        case Prop.Index i -> b.append(i.index());
      }
    }
    return b.toString();
  }

  /** A stretch of {@code text} around the first appearance of {@code terms}, HTML-escaped, the match in bold. */
  static String snippet(String text, List<Tokens.Token> terms) {
    List<Tokens.Token> tokens = Tokens.of(text);
    for (int i = 0; i < tokens.size(); i++) {
      if (Tokens.matchesAt(tokens, i, terms)) {
        int start = tokens.get(i).start();
        int end = tokens.get(i + terms.size() - 1).end();
        int from = Math.max(0, start - CONTEXT);
        int to = Math.min(text.length(), end + CONTEXT);
        return (from > 0 ? "… " : "") + escape(text.substring(from, start))
            + "<b>" + escape(text.substring(start, end)) + "</b>"
            + escape(text.substring(end, to)) + (to < text.length() ? " …" : "");
      }
    }
    return "";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
