package dev.loam.search;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ReadDoc;
import dev.loam.repo.id.AutomergeUrl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * change after its dependencies) into a fresh replica, one at a time, and each change's patches
 * come from applying it ({@link Document#applyChanges(List, java.util.function.BiConsumer)}: what
 * its ops did, not a diff of the whole document). A splice or delete in a text is applied to the
 * replay's copy of that string, and appearances are counted only in a window around the edit (a
 * few runs of letters and digits either side: an appearance is consecutive tokens, so one the
 * edit makes or breaks lies inside). Any other patch (a put, an insert, a delete in a map or list)
 * has the strings under its top-level key read again from the replica, after the change. A string
 * whose count rises gained appearances (inserted by that change), one whose count falls lost some
 * (deleted by it). Within one change, appearances lost in one string and gained in another cancel
 * out (as {@code git log -S} counts), so an appearance whose string only moved (a list element
 * shifted to another index, so another pointer) is carried over, not reported as deleted and
 * inserted; it is paired preferably with a string that moved unchanged. Which of a string's
 * appearances a fall closes is not tracked (the latest open one is). Concurrent branches are seen
 * in that linear order, as a merge of them would show them.
 *
 * <p>Cost: per change, its ops (applying them and their patches) plus the windows of its text
 * edits, so a long history of keystrokes replays in time linear in its length (20,000 one-letter
 * changes in about a second); a structural change costs the strings under its top-level key
 * (a long list of strings edited item by item still costs changes × list size). Stateless.
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
    Replay replay = new Replay(terms);
    Document replica = Document.create(ActorId.random());
    for (Change c : doc.changes()) {
      replica.applyChanges(List.of(c.bytes().toByteArray()), (change, patches) -> replay.change(replica, change, patches));
    }
    return replay.hit(url);
  }

  /** The strings of the replayed document and the appearances found so far. Used by one thread. */
  private static final class Replay {
    private final List<Tokens.Token> terms;
    private final NavigableMap<String, StringBuilder> strings = new TreeMap<>();
    private final List<Open> open = new ArrayList<>();
    private final List<Open> closed = new ArrayList<>();
    private final List<ChangeRef> deletedBy = new ArrayList<>();
    private int seq;

    // per change: the net change of appearances per string, the strings read again whole (before
    // and after), and the snippets of strings edited in place
    private final Map<String, Integer> delta = new LinkedHashMap<>();
    private final Map<String, String> oldText = new HashMap<>();
    private final Map<String, String> newText = new HashMap<>();
    private final Map<String, String> editSnippet = new HashMap<>();

    Replay(List<Tokens.Token> terms) {
      this.terms = terms;
    }

    /** Takes in change {@code c}, whose {@code patches} turned the state before it into {@code now}. */
    void change(ReadDoc now, Change c, List<Patch> patches) {
      delta.clear();
      oldText.clear();
      newText.clear();
      editSnippet.clear();
      // structural patches: the strings under their top-level key are read again, after the change
      Set<String> reread = new LinkedHashSet<>();
      for (Patch p : patches) {
        if (!isTextEdit(p) && touchesStrings(p)) {
          reread.add(((Prop.Key) p.path().getFirst()).key());
        }
      }
      for (Patch p : patches) {
        if (isTextEdit(p) && !reread.contains(((Prop.Key) p.path().getFirst()).key())) {
          edit(p);
        }
      }
      for (String key : reread) {
        for (String p : under(strings, "/" + DocText.escape(key))) {
          String text = strings.remove(p).toString();
          oldText.putIfAbsent(p, text);
          delta.merge(p, -count(text, terms), Integer::sum);
        }
        for (DocText.Entry e : DocText.under(now, List.of(Prop.key(key)))) {
          strings.put(e.path(), new StringBuilder(e.text()));
          newText.put(e.path(), e.text());
          delta.merge(e.path(), count(e.text(), terms), Integer::sum);
        }
      }
      settle(ChangeRef.of(c));
      seq++;
    }

    /** A splice or delete in a text this replay holds, edited in place. */
    private boolean isTextEdit(Patch p) {
      List<Prop> path = p.path();
      boolean inText = path.size() >= 2 && path.getLast() instanceof Prop.Index
          && strings.containsKey(pointer(path.subList(0, path.size() - 1)));
      return switch (p) {
        case Patch.SpliceText s -> inText;
        case Patch.Delete d -> inText;
        case Patch.Put x -> false;
        case Patch.Insert x -> false;
        case Patch.Increment x -> false;
        case Patch.MarkSet x -> false;
        case Patch.Conflict x -> false;
      };
    }

    /** Whether {@code p} may change which strings there are or what they hold (not a counter, a mark, a conflict flag). */
    private static boolean touchesStrings(Patch p) {
      return switch (p) {
        case Patch.Put x -> true;
        case Patch.Insert x -> true;
        case Patch.SpliceText x -> true;
        case Patch.Delete x -> true;
        case Patch.Increment x -> false;
        case Patch.MarkSet x -> false;
        case Patch.Conflict x -> false;
      };
    }

    /**
     * Applies a text edit to the string it edits, counting appearances only in a window around
     * it: from the start of a run some runs before it to the end of a run as many after, where
     * runs of letters and digits end at separators. An appearance is consecutive tokens, so one
     * that the edit makes or breaks lies in the window; outside it nothing changed.
     */
    private void edit(Patch p) {
      List<Prop> path = p.path();
      String ptr = pointer(path.subList(0, path.size() - 1));
      StringBuilder text = strings.get(ptr);
      int at = ((Prop.Index) path.getLast()).index();
      String inserted = p instanceof Patch.SpliceText s ? s.value() : "";
      int removed = p instanceof Patch.Delete d ? d.length() : 0;
      int runs = terms.size() + 1;
      int from = runStart(text, at, runs);
      int to = runEnd(text, at + removed, runs);
      int before = count(text.substring(from, to), terms);
      text.replace(at, at + removed, inserted);
      to += inserted.length() - removed;
      int after = count(text.substring(from, to), terms);
      delta.merge(ptr, after - before, Integer::sum);
      if (after > before) {
        int a = Math.max(0, from - CONTEXT);
        int b = Math.min(text.length(), to + CONTEXT);
        String s = snippet(text.substring(a, b), terms);
        editSnippet.put(ptr, (a > 0 && !s.startsWith("… ") ? "… " : "") + s + (b < text.length() && !s.endsWith(" …") ? " …" : ""));
      }
    }

    /** Closes the appearances the change took away and opens those it added (see the class notes). */
    private void settle(ChangeRef ref) {
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
        String text = newText.get(path);
        for (int k = 0; k < e.getValue(); k++) {
          // what one change takes from one string and gives to another is no net change (as git
          // log -S counts); a string that moved unchanged (a list element shifted) is the best match
          Optional<Open> moved = detached.stream().filter(o -> text != null && text.equals(oldText.get(o.path))).findFirst()
              .or(() -> detached.stream().findFirst());
          if (moved.isPresent()) {
            detached.remove(moved.get());
            moved.get().path = path;
            open.add(moved.get());
          } else {
            String snippet = text != null ? snippet(text, terms) : editSnippet.getOrDefault(path, "");
            open.add(new Open(path, seq, ref, snippet));
          }
        }
      }
      for (Open o : detached) {
        closed.add(o);
        deletedBy.add(ref);
      }
    }

    Optional<HistoryHit> hit(AutomergeUrl url) {
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
  }

  /** The start of the {@code runs}-th run of letters and digits before {@code at} (or 0). */
  static int runStart(CharSequence text, int at, int runs) {
    int j = at;
    int seen = 0;
    boolean inRun = false;
    while (j > 0) {
      int cp = Character.codePointBefore(text, j);
      if (Tokens.isSeparator(cp)) {
        if (inRun && ++seen >= runs) {
          return j;
        }
        inRun = false;
      } else {
        inRun = true;
      }
      j -= Character.charCount(cp);
    }
    return 0;
  }

  /** The end of the {@code runs}-th run of letters and digits from {@code at} (or the text's end). */
  static int runEnd(CharSequence text, int at, int runs) {
    int j = at;
    int seen = 0;
    boolean inRun = false;
    int n = text.length();
    while (j < n) {
      int cp = Character.codePointAt(text, j);
      if (Tokens.isSeparator(cp)) {
        if (inRun && ++seen >= runs) {
          return j;
        }
        inRun = false;
      } else {
        inRun = true;
      }
      j += Character.charCount(cp);
    }
    return n;
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
  private static List<String> under(NavigableMap<String, ?> strings, String pointer) {
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
    return Snippet.of(text, Snippet.Marks.of(terms), CONTEXT);
  }
}
