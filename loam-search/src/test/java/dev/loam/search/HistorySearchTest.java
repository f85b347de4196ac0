package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History search finds text in any version, with the changes that inserted and deleted it. */
class HistorySearchTest {
  @TempDir Path dir;

  @Test
  void deletedTextIsFoundWithTheChangesThatInsertedAndDeletedIt() {
    try (Repo repo = Repo.builder().build(); SearchIndex index = SearchIndex.open(dir.resolve("i"), repo)) {
      DocHandle h = repo.create();
      ChangeHash inserted = h.change(CommitOptions.DEFAULT.withTime(1_700_000_000L),
          tx -> tx.putText(ObjId.ROOT, "title", "Our secret plan")).orElseThrow();
      ChangeHash deleted = h.change(tx -> tx.spliceText(title(tx), 4, 7, "")).orElseThrow();
      DocHandle other = repo.create();
      other.change(tx -> tx.putText(ObjId.ROOT, "title", "nothing to see"));

      assertEquals(List.of(), index.search("secret", 10));
      List<HistoryHit> hits = index.searchHistory("SECRET", 10);
      assertEquals(1, hits.size());
      HistoryHit hit = hits.getFirst();
      assertEquals(h.url(), hit.url());
      assertFalse(hit.present());
      assertEquals(1, hit.occurrences().size());
      HistoryHit.Occurrence o = hit.occurrences().getFirst();
      assertEquals("/title", o.path());
      assertEquals(inserted, o.inserted().hash());
      assertEquals(1_700_000_000L, o.inserted().time());
      assertEquals(h.read(d -> d.change(inserted).orElseThrow().actor()), o.inserted().actor());
      assertEquals(Optional.of(deleted), o.deleted().map(ChangeRef::hash));
      assertEquals("Our <b>secret</b> plan", o.snippet());

      List<HistoryHit> still = index.searchHistory("\"our plan\"", 10);
      assertEquals(1, still.size());
      assertTrue(still.getFirst().present());
      assertEquals(Optional.empty(), still.getFirst().occurrences().getFirst().deleted());
      assertEquals(deleted, still.getFirst().occurrences().getFirst().inserted().hash());
    }
  }

  private static ObjId title(dev.loam.Transaction tx) {
    return ((Value.Obj) tx.get(ObjId.ROOT, "title").orElseThrow()).id();
  }

  @Test
  void textFromConcurrentBranchesIsFoundOnce() {
    Document a = Document.create(ActorId.fromHex("0a"));
    a.transact(tx -> tx.putText(ObjId.ROOT, "t", "hello"));
    Document b = a.fork();
    ChangeHash left = a.transact(tx -> tx.spliceText(text(tx), 5, 0, " kiwi")).orElseThrow();
    b.transact(tx -> tx.put(ObjId.ROOT, "s", "kiwi pie"));
    a.merge(b);
    ChangeHash gone = a.transact(tx -> tx.delete(ObjId.ROOT, "s")).orElseThrow();
    HistoryHit hit = HistorySearch.search(a, HistorySearch.terms("kiwi"), AutomergeUrl.generate()).orElseThrow();
    assertEquals(2, hit.occurrences().size());
    assertTrue(hit.present());
    List<ChangeHash> deletedBy = hit.occurrences().stream().flatMap(o -> o.deleted().stream()).map(ChangeRef::hash).toList();
    assertEquals(List.of(gone), deletedBy);
    assertTrue(hit.occurrences().stream().anyMatch(o -> o.inserted().hash().equals(left) && o.path().equals("/t")));
  }

  private static ObjId text(dev.loam.Transaction tx) {
    return ((Value.Obj) tx.get(ObjId.ROOT, "t").orElseThrow()).id();
  }

  private static final List<String> WORDS = List.of("kiwi", "Kiwi", "pear", "fig", "kiwis", "plum", "KIWI");

  /**
   * Random edits of a text and a list of strings by one actor; the model counts the target's
   * appearances after each change, so each rise names an inserting change and each fall a deleting
   * one. The search must name exactly those changes, as many times as the count moved.
   */
  @Test
  void theChangesNamedAreExactlyThoseThatMovedTheCountInAReferenceModel() {
    TestSeeds.seeds().forEach(seed -> {
      try {
        history(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(TestSeeds.rerun(seed, "HistorySearchTest") + ": " + e.getMessage(), e);
      }
    });
  }

  private static String words(Random r, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
    }
    return b.toString();
  }

  private static int modelCount(StringBuilder text, List<String> items, List<String> target) {
    int n = 0;
    List<String> all = new ArrayList<>(items);
    all.add(text.toString());
    for (String s : all) {
      List<String> t = SearchModelTest.modelTokens(s);
      for (int i = 0; i + target.size() <= t.size(); i++) {
        n += t.subList(i, i + target.size()).equals(target) ? 1 : 0;
      }
    }
    return n;
  }

  private void history(long seed) {
    Random r = new Random(seed);
    List<String> target = r.nextBoolean() ? List.of("kiwi") : List.of("kiwi", "pear");
    List<Tokens.Token> pattern = HistorySearch.terms(String.join(" ", target));
    Document doc = Document.create(ActorId.fromHex("01"));
    StringBuilder text = new StringBuilder();
    List<String> items = new ArrayList<>();
    doc.transact(tx -> {
      tx.putText(ObjId.ROOT, "text", "");
      tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
    });
    List<ChangeHash> inserted = new ArrayList<>();
    List<ChangeHash> deleted = new ArrayList<>();
    int count = 0;
    for (int step = 0; step < 30; step++) {
      ObjId t = ((Value.Obj) doc.get(ObjId.ROOT, "text").orElseThrow()).id();
      ObjId list = ((Value.Obj) doc.get(ObjId.ROOT, "items").orElseThrow()).id();
      Optional<ChangeHash> c;
      switch (r.nextInt(5)) {
        case 0, 1 -> {
          int at = r.nextInt(text.length() + 1);
          int del = r.nextInt(Math.min(8, text.length() - at) + 1);
          String ins = r.nextBoolean() ? words(r, 1 + r.nextInt(2)) + " " : (r.nextBoolean() ? " " : "");
          c = doc.transact(tx -> tx.spliceText(t, at, del, ins));
          text.replace(at, at + del, ins);
        }
        case 2 -> {
          int at = r.nextInt(items.size() + 1);
          String item = words(r, 1 + r.nextInt(3));
          c = doc.transact(tx -> tx.insert(list, at, ScalarValue.of(item)));
          items.add(at, item);
        }
        case 3 -> {
          if (items.isEmpty()) {
            continue;
          }
          int at = r.nextInt(items.size());
          c = doc.transact(tx -> tx.delete(list, at));
          items.remove(at);
        }
        default -> { // several edits in one change: only its net effect on the count is reported
          if (items.isEmpty()) {
            continue;
          }
          int gone = r.nextInt(items.size());
          int at = r.nextInt(items.size());
          String item = r.nextBoolean() ? items.get(gone) : words(r, 1 + r.nextInt(3));
          int split = r.nextInt(text.length() + 1);
          c = doc.transact(tx -> {
            tx.delete(list, gone);
            tx.insert(list, at, ScalarValue.of(item));
            tx.spliceText(t, split, 0, " " + item + " ");
          });
          items.remove(gone);
          items.add(at, item);
          text.insert(split, " " + item + " ");
        }
      }
      int now = modelCount(text, items, target);
      for (int k = count; k < now; k++) {
        inserted.add(c.orElseThrow());
      }
      for (int k = now; k < count; k++) {
        deleted.add(c.orElseThrow());
      }
      count = now;
    }
    Optional<HistoryHit> hit = HistorySearch.search(doc, pattern, AutomergeUrl.generate());
    assertEquals(!inserted.isEmpty(), hit.isPresent(), "found at all");
    if (hit.isEmpty()) {
      return;
    }
    assertEquals(count > 0, hit.get().present(), "present now");
    assertEquals(sorted(inserted), sorted(hit.get().occurrences().stream().map(o -> o.inserted().hash()).toList()), "inserting changes");
    assertEquals(sorted(deleted), sorted(hit.get().occurrences().stream().flatMap(o -> o.deleted().stream()).map(ChangeRef::hash).toList()),
        "deleting changes");
  }

  /**
   * A long history of keystrokes (20,000 one-character changes to one text, then a change that
   * deletes one appearance): each appearance is inserted by the keystroke that completed the word,
   * and one is deleted by the deleting change (which of a string's appearances it closes is not
   * tracked, as with {@code git log -S}). The replay reads each change's patches, not
   * the whole text, so this takes about a second, not minutes.
   */
  @Test
  void aLongTypingHistoryIsReplayedChangeByChange() {
    String sentence = "local-first software by kleppmann and friends, ";
    Document doc = Document.create(ActorId.fromHex("02"));
    doc.transact(tx -> tx.putText(ObjId.ROOT, "notes", ""));
    ObjId t = ((Value.Obj) doc.get(ObjId.ROOT, "notes").orElseThrow()).id();
    List<ChangeHash> completing = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    StringBuilder typed = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      char ch = sentence.charAt(i % sentence.length());
      int at = typed.length();
      ChangeHash h = doc.transact(tx -> tx.spliceText(t, at, 0, String.valueOf(ch))).orElseThrow();
      typed.append(ch);
      if (typed.toString().endsWith("kleppmann")) {
        completing.add(h);
        starts.add(typed.length() - "kleppmann".length());
      }
    }
    int third = starts.get(2);
    ChangeHash gone = doc.transact(tx -> tx.spliceText(t, third, "kleppmann".length(), "")).orElseThrow();

    HistoryHit hit = HistorySearch.search(doc, HistorySearch.terms("Kleppmann"), AutomergeUrl.generate()).orElseThrow();
    assertTrue(hit.present());
    assertEquals(completing.size(), hit.occurrences().size());
    assertEquals(sorted(completing), sorted(hit.occurrences().stream().map(o -> o.inserted().hash()).toList()));
    assertEquals(List.of(gone), hit.occurrences().stream().flatMap(o -> o.deleted().stream()).map(ChangeRef::hash).toList());
    assertTrue(hit.occurrences().getFirst().snippet().contains("<b>kleppmann</b>"), hit.occurrences().getFirst().snippet());
  }

  private static List<ChangeHash> sorted(List<ChangeHash> hashes) {
    return hashes.stream().sorted().toList();
  }
}
