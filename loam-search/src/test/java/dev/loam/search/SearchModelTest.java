package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random corpora, random edits, random queries: the documents a search returns are exactly those
 * a plain model of the documents' strings says match. The model keeps each document's strings by
 * path and tokenizes them its own way (a regular expression over letters and digits, accents
 * stripped, lower case). Part of the edits happen while the index is closed; reopening it and
 * catching up must re-index exactly the documents that changed.
 */
class SearchModelTest {
  private static final List<String> WORDS = List.of("apple", "Apple", "APPLE", "café", "Cafe", "cafe", "résumé", "resume",
      "naïve", "naive", "big", "data", "red", "blue", "green", "runs", "run", "running", "kiwi", "x1", "2024", "loam",
      "local", "first", "collab", "collaboration", "über", "uber", "Straße", "zebra", "東京都", "東京", "京都", "서울시", "서울");
  private static final List<String> SEPARATORS = List.of(" ", " ", ", ", "-", ". ", " / ", "\n");

  @TempDir Path dir;

  /** The model of one document: its strings, as the index should see them. */
  static final class Model {
    String title = "";
    String body = ""; // a scalar string; absent when null-equivalent (hasBody false)
    boolean hasBody = true;
    final List<String> tags = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Map<String, String> strings() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("/title", title);
      if (hasBody) {
        m.put("/body", body);
      }
      for (int i = 0; i < tags.size(); i++) {
        m.put("/tags/" + i, tags.get(i));
      }
      for (int i = 0; i < notes.size(); i++) {
        m.put("/tasks/" + i + "/note", notes.get(i));
      }
      return m;
    }
  }

  private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}";
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[" + CJK + "]+|[\\p{L}\\p{N}&&[^" + CJK + "]]+");

  /**
   * The model's tokens: accents stripped, lower case, then runs of CJK letters or of other letters
   * and digits. A CJK run stays whole here; {@link #contains} gives it substring semantics.
   */
  static List<String> modelTokens(String s) {
    String stripped = Normalizer.normalize(Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", ""),
        Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = TOKEN.matcher(stripped);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static boolean isCjk(String token) {
    return token.matches("[" + CJK + "]+");
  }

  /** Whether {@code tokens} hold {@code word}: equal, or for CJK text, inside one run (two characters at least). */
  static boolean contains(List<String> tokens, String word) {
    return tokens.contains(word) || isCjk(word) && word.length() >= 2 && tokens.stream().anyMatch(t -> t.contains(word));
  }

  private static String phrase(Random r, int max) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(SEPARATORS.get(r.nextInt(SEPARATORS.size())));
      }
      b.append(WORDS.get(r.nextInt(WORDS.size())));
    }
    return b.toString();
  }

  private static ObjId obj(dev.loam.Transaction tx, ObjId parent, String key) {
    return ((Value.Obj) tx.get(parent, key).orElseThrow()).id();
  }

  private static DocHandle create(Repo repo, Random r, Map<DocumentId, Model> models) {
    Model m = new Model();
    m.title = phrase(r, 4);
    m.body = phrase(r, 6);
    DocHandle h = repo.create();
    h.change(tx -> {
      tx.putText(ObjId.ROOT, "title", m.title);
      tx.put(ObjId.ROOT, "body", m.body);
      tx.putObject(ObjId.ROOT, "tags", ObjType.LIST);
      tx.putObject(ObjId.ROOT, "tasks", ObjType.LIST);
      tx.put(ObjId.ROOT, "count", ScalarValue.of(r.nextInt(100))); // a number that is not a string: never indexed
    });
    models.put(h.documentId(), m);
    return h;
  }

  /** One random edit of {@code h}, made in the document and in its model. */
  private static void edit(DocHandle h, Model m, Random r) {
    switch (r.nextInt(7)) {
      case 0 -> {
        int at = r.nextInt(m.title.length() + 1);
        int del = r.nextInt(m.title.length() - at + 1);
        String ins = (r.nextBoolean() ? " " : "") + phrase(r, 2) + (r.nextBoolean() ? " " : "");
        h.change(tx -> tx.spliceText(obj(tx, ObjId.ROOT, "title"), at, del, ins));
        m.title = m.title.substring(0, at) + ins + m.title.substring(at + del);
      }
      case 1 -> {
        String body = phrase(r, 6);
        h.change(tx -> tx.put(ObjId.ROOT, "body", body));
        m.body = body;
        m.hasBody = true;
      }
      case 2 -> {
        if (m.hasBody) {
          h.change(tx -> tx.delete(ObjId.ROOT, "body"));
          m.hasBody = false;
        }
      }
      case 3 -> {
        int at = r.nextInt(m.tags.size() + 1);
        String tag = phrase(r, 2);
        h.change(tx -> tx.insert(obj(tx, ObjId.ROOT, "tags"), at, ScalarValue.of(tag)));
        m.tags.add(at, tag);
      }
      case 4 -> {
        if (!m.tags.isEmpty()) {
          int at = r.nextInt(m.tags.size());
          h.change(tx -> tx.delete(obj(tx, ObjId.ROOT, "tags"), at));
          m.tags.remove(at);
        }
      }
      case 5 -> {
        int at = r.nextInt(m.notes.size() + 1);
        String note = phrase(r, 4);
        h.change(tx -> {
          ObjId task = tx.insertObject(obj(tx, ObjId.ROOT, "tasks"), at, ObjType.MAP);
          tx.putText(task, "note", note);
        });
        m.notes.add(at, note);
      }
      default -> {
        if (!m.notes.isEmpty()) {
          int at = r.nextInt(m.notes.size());
          if (r.nextBoolean()) {
            h.change(tx -> tx.delete(obj(tx, ObjId.ROOT, "tasks"), at));
            m.notes.remove(at);
          } else {
            String more = " " + phrase(r, 2);
            h.change(tx -> {
              ObjId task = ((Value.Obj) tx.get(obj(tx, ObjId.ROOT, "tasks"), at).orElseThrow()).id();
              ObjId note = obj(tx, task, "note");
              tx.spliceText(note, m.notes.get(at).length(), 0, more);
            });
            m.notes.set(at, m.notes.get(at) + more);
          }
        }
      }
    }
  }

  /** A random query and the model's predicate for it. */
  private record Case(String query, Predicate<Model> matches) {}

  private static String word(Random r) {
    return WORDS.get(r.nextInt(WORDS.size()));
  }

  private static boolean hasToken(Map<String, String> strings, Predicate<String> path, String token) {
    return strings.entrySet().stream().anyMatch(e -> path.test(e.getKey()) && contains(modelTokens(e.getValue()), token));
  }

  private static boolean hasPhrase(Model m, List<String> terms) {
    return hasPhrase(m, p -> true, terms);
  }

  private static boolean hasPhrase(Model m, Predicate<String> path, List<String> terms) {
    for (Map.Entry<String, String> e : m.strings().entrySet()) {
      if (!path.test(e.getKey())) {
        continue;
      }
      List<String> t = modelTokens(e.getValue());
      for (int i = 0; i + terms.size() <= t.size(); i++) {
        if (t.subList(i, i + terms.size()).equals(terms)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Case randomCase(Random r) {
    String a = word(r);
    String b = word(r);
    String fa = modelTokens(a).getFirst();
    String fb = modelTokens(b).getFirst();
    int kind = r.nextInt(12);
    if ((kind == 2 || kind == 7 || kind >= 9) && (isCjk(fa) || isCjk(fb))) {
      kind = 0; // phrases and prefixes of CJK words are checked by example (SearchIndexTest, TokensTest)
    }
    return switch (kind) {
      case 0 -> new Case(a, m -> hasToken(m.strings(), p -> true, fa));
      case 1 -> new Case(a + " " + b, m -> hasToken(m.strings(), p -> true, fa) && hasToken(m.strings(), p -> true, fb));
      case 2 -> new Case("\"" + a + " " + b + "\"", m -> hasPhrase(m, List.of(fa, fb)));
      case 3 -> new Case("title:" + a, m -> hasToken(m.strings(), p -> p.equals("/title"), fa));
      case 4 -> new Case(a + " path:/tasks", m -> hasToken(m.strings(), p -> p.startsWith("/tasks/"), fa));
      case 5 -> new Case(a + " OR " + b, m -> hasToken(m.strings(), p -> true, fa) || hasToken(m.strings(), p -> true, fb));
      case 6 -> new Case(a + " NOT " + b, m -> hasToken(m.strings(), p -> true, fa) && !hasToken(m.strings(), p -> true, fb));
      case 7 -> {
        String prefix = fa.substring(0, Math.min(fa.length(), 2 + r.nextInt(3)));
        yield new Case(prefix + "*", m -> m.strings().values().stream().anyMatch(s -> modelTokens(s).stream().anyMatch(t -> t.startsWith(prefix))));
      }
      case 8 -> new Case("tags:" + a, m -> hasToken(m.strings(), p -> p.startsWith("/tags/"), fa));
      case 9 -> { // a prefix under a key: expanded over the index's words
        String prefix = fa.substring(0, Math.min(fa.length(), 2 + r.nextInt(3)));
        yield new Case("title:" + prefix + "*", m -> modelTokens(m.title).stream().anyMatch(t -> t.startsWith(prefix)));
      }
      case 10 -> new Case("note:\"" + a + " " + b + "\"", m -> hasPhrase(m, p -> p.endsWith("/note"), List.of(fa, fb)));
      default -> new Case("\"" + a + " " + b + "\" path:/tasks", m -> hasPhrase(m, p -> p.startsWith("/tasks/"), List.of(fa, fb)));
    };
  }

  /**
   * Waits until the index has heard every document's last change: a listener hears a change when
   * the document's events are dispatched, which another thread dispatching them (a state change)
   * may do just after {@code change} returned; a search waits only for what the index heard.
   */
  private static void heard(SearchIndex index, Map<DocumentId, DocHandle> handles) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!index.indexedHeads().keySet().equals(handles.keySet())
        || handles.values().stream().anyMatch(h -> !h.heads().equals(index.indexedHeads().get(h.documentId())))) {
      assertTrue(System.nanoTime() < deadline, "the index heard every change within 10 s");
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      index.awaitIndexed();
    }
  }

  private static void check(SearchIndex index, Map<DocumentId, Model> models, Random r, String context) {
    for (int q = 0; q < 25; q++) {
      Case c = randomCase(r);
      Set<String> expected = models.entrySet().stream().filter(e -> c.matches().test(e.getValue()))
          .map(e -> e.getKey().toString()).collect(Collectors.toCollection(TreeSet::new));
      Set<String> actual = index.search(c.query(), 1000).stream().map(h -> h.url().documentId().toString())
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, actual, context + ": query " + c.query());
    }
  }

  @Test
  void searchesReturnExactlyTheDocumentsWhoseCurrentTextMatches() {
    TestSeeds.seeds().forEach(seed -> {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(TestSeeds.rerun(seed, "SearchModelTest") + ": " + e.getMessage(), e);
      }
    });
  }

  private void run(long seed) {
    Random r = new Random(seed);
    Path folder = dir.resolve("index-" + seed);
    Map<DocumentId, Model> models = new LinkedHashMap<>();
    Map<DocumentId, DocHandle> handles = new LinkedHashMap<>();
    try (Repo repo = Repo.builder().build()) {
      SearchIndex index = SearchIndex.open(folder, repo);
      try {
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < 4; i++) {
            DocHandle h = create(repo, r, models);
            handles.put(h.documentId(), h);
          }
          List<DocumentId> ids = new ArrayList<>(handles.keySet());
          for (int e = 0; e < 20; e++) {
            DocumentId id = ids.get(r.nextInt(ids.size()));
            if (handles.containsKey(id)) {
              edit(handles.get(id), models.get(id), r);
            }
          }
          if (r.nextInt(3) == 0) {
            DocumentId gone = ids.get(r.nextInt(ids.size()));
            if (handles.remove(gone) != null) {
              repo.delete(gone);
              models.remove(gone);
            }
          }
          heard(index, handles);
          check(index, models, r, "round " + round);
        }
        index.close();

        // behind the index's back: edits, a new document, a deletion
        Set<DocumentId> changed = new HashSet<>();
        List<DocumentId> ids = new ArrayList<>(handles.keySet());
        for (int e = 0; e < 5; e++) {
          DocumentId id = ids.get(r.nextInt(ids.size()));
          dev.loam.Heads before = handles.get(id).heads();
          edit(handles.get(id), models.get(id), r);
          if (!handles.get(id).heads().equals(before)) {
            changed.add(id);
          }
        }
        DocHandle fresh = create(repo, r, models);
        handles.put(fresh.documentId(), fresh);
        changed.add(fresh.documentId());
        DocumentId gone = ids.get(r.nextInt(ids.size()));
        repo.delete(gone);
        handles.remove(gone);
        models.remove(gone);
        changed.add(gone);

        index = SearchIndex.open(folder, repo);
        int[] last = {-1, -1};
        int touched = index.catchUp(models.keySet(), (done, total) -> {
          last[0] = done;
          last[1] = total;
        });
        assertEquals(changed.size(), touched, "documents re-indexed or removed on catching up");
        assertEquals(last[0], last[1], "progress ends at the total");
        assertEquals(models.keySet(), index.indexedHeads().keySet());
        check(index, models, r, "after catching up");
        for (DocumentId id : handles.keySet()) {
          assertEquals(handles.get(id).heads(), index.indexedHeads().get(id), "indexed heads of " + id);
        }
      } finally {
        index.close();
      }
    }
  }
}
