package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.repo.spi.Chunk;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SearchCommandTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private String newDoc(String title, String body) {
    String url = Cli.run("repo", "new", "--data", data()).ok().strip();
    Cli.run("repo", "edit", url, "--data", data(), "--put", "/title", Cli.JSON.writeValueAsString(title),
        "--put", "/body", Cli.JSON.writeValueAsString(body)).ok();
    return url;
  }

  private JsonNode json(Object... args) {
    List<Object> a = new ArrayList<>(List.of("search", "--data", data(), "--json"));
    a.addAll(List.of(args));
    JsonNode n = Cli.JSON.readTree(Cli.run(a.toArray()).ok());
    assertTrue(n.isArray(), n.toString());
    return n;
  }

  private static Set<String> urls(JsonNode hits) {
    Set<String> s = new TreeSet<>();
    hits.forEach(h -> s.add(h.get("url").asString()));
    return s;
  }

  @Test
  void jsonPrintsOneArrayOfHitsBestFirstWithUrlScorePathsAndSnippet() {
    String a = newDoc("Loam notes", "local-first software keeps your data on your device");
    String b = newDoc("Groceries", "milk, bread and local honey");
    newDoc("Other", "nothing to see here");

    JsonNode hits = json("local");
    assertEquals(Set.of(a, b), urls(hits));
    for (JsonNode h : hits) {
      assertTrue(h.get("url").asString().startsWith("automerge:"), h.toString());
      assertTrue(h.get("score").isNumber(), h.toString());
      assertEquals(List.of("/body"), List.of(h.get("paths").get(0).asString()));
      assertTrue(h.get("snippet").asString().contains("<b>local</b>"), h.toString());
    }
    assertTrue(hits.get(0).get("score").asDouble() >= hits.get(1).get("score").asDouble(), hits.toString());

    JsonNode both = json("local", "honey");
    assertEquals(Set.of(b), urls(both));
    assertEquals(0, json("absent").size());
  }

  @Test
  void limitBoundsTheHitsAndDefaultsToTwenty() {
    for (int i = 0; i < 23; i++) {
      newDoc("note " + i, "the same word everywhere");
    }
    assertEquals(20, json("everywhere").size());
    assertEquals(3, json("everywhere", "--limit", 3).size());
    assertEquals(23, json("everywhere", "--limit", 100).size());
    assertTrue(Cli.run("search", "--data", data(), "word", "--limit", 0).failed().contains("--limit must be positive"));
  }

  @Test
  void textOutputShowsEachHitWithItsMatchesInBrackets() {
    String a = newDoc("Café menu", "crème brûlée");
    String out = Cli.run("search", "--data", data(), "cafe").ok();
    assertEquals(a + "\n  in /title\n  [Café] menu\n  score ", out.substring(0, out.indexOf("score ") + 6));
    assertEquals("no documents match\n", Cli.run("search", "--data", data(), "tea").ok());
  }

  @Test
  void editsAndRemovalsThroughRepoCommandsAreReflected() {
    String a = newDoc("draft", "first words");
    assertEquals(Set.of(a), urls(json("first")));
    Cli.run("repo", "edit", a, "--data", data(), "--put", "/body", "\"second thoughts\"").ok();
    assertEquals(Set.of(), urls(json("first")));
    assertEquals(Set.of(a), urls(json("second")));
    String b = newDoc("another", "second opinion");
    assertEquals(Set.of(a, b), urls(json("second")));
    Cli.run("repo", "rm", a, "--data", data()).ok();
    assertEquals(Set.of(b), urls(json("second")));
  }

  @Test
  void historyFindsDeletedTextWithTheChangesThatInsertedAndDeletedIt() {
    String a = newDoc("history", "hello kleppmann world");
    newDoc("unrelated", "hello world");
    Cli.run("repo", "edit", a, "--data", data(), "--splice", "/body", "6", "10", "").ok();
    assertEquals(0, json("kleppmann").size(), "not in the current text");

    JsonNode hits = json("--history", "kleppmann");
    assertEquals(1, hits.size(), hits.toString());
    JsonNode h = hits.get(0);
    assertEquals(a, h.get("url").asString());
    assertFalse(h.get("present").asBoolean());
    assertEquals("/body", h.get("paths").get(0).asString());
    assertTrue(h.get("snippet").asString().contains("<b>kleppmann</b>"), h.toString());
    JsonNode occ = h.get("occurrences").get(0);
    JsonNode inserted = occ.get("inserted");
    JsonNode deleted = occ.get("deleted");
    assertTrue(inserted.get("hash").asString().matches("[0-9a-f]{64}"), occ.toString());
    assertTrue(deleted.get("hash").asString().matches("[0-9a-f]{64}"), occ.toString());
    assertFalse(inserted.get("hash").asString().equals(deleted.get("hash").asString()), occ.toString());
    assertTrue(inserted.get("actor").asString().matches("[0-9a-f]+"), occ.toString());
    assertTrue(inserted.get("time").asLong() > 0, occ.toString());

    String text = Cli.run("search", "--data", data(), "--history", "kleppmann").ok();
    assertTrue(text.startsWith(a + "  (no longer present)\n  /body: hello [kleppmann] world\n    inserted by "
        + inserted.get("hash").asString().substring(0, 12)), text);
    assertTrue(text.contains("    deleted by  " + deleted.get("hash").asString().substring(0, 12)), text);
  }

  @Test
  void anInvalidQueryExitsWithItsOwnStatusAndAClearMessage() {
    newDoc("x", "some text");
    Cli.Result r = Cli.run("search", "--data", data(), "*ing");
    assertEquals(SearchCommand.INVALID_QUERY, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("loam search: invalid search query '*ing': "), r.err());
    assertFalse(r.err().strip().contains("\n"), r.err());
    assertEquals(SearchCommand.INVALID_QUERY, Cli.run("search", "--data", data(), "a*").code());
  }

  @Test
  void reindexRebuildsWithProgressOnStderr() throws Exception {
    String a = newDoc("x", "rebuilt text");
    Cli.run("search", "--data", data(), "text").ok();
    Cli.Result r = Cli.run("search", "--data", data(), "--reindex");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("indexing: 1/1 (100%)"), r.err());
    assertTrue(r.err().endsWith("indexed 1 document\n"), r.err());
    assertEquals(Set.of(a), urls(json("rebuilt")));
    // a missing index is rebuilt from the documents
    try (var files = Files.walk(data().resolve(SearchCommand.INDEX_FOLDER))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertEquals(Set.of(a), urls(json("rebuilt")));
  }

  @Test
  void theIndexLivesInTheRepoFolderAndIsNotInABackup() {
    newDoc("backed up", "searchable words");
    json("searchable");
    assertTrue(Files.isDirectory(data().resolve(SearchCommand.INDEX_FOLDER)));
    List<Chunk> chunks = new ArrayList<>();
    try (LocalRepo local = LocalRepo.open(data(), "test", LocalRepo.Access.EXISTING, Optional.empty())) {
      local.repo().backup(chunks::add);
    }
    assertFalse(chunks.isEmpty());
    for (Chunk c : chunks) {
      String key = c.key().toString();
      assertFalse(key.contains("search"), key);
      assertFalse(new String(c.data().toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("segments_"), key);
    }
  }

  @Test
  void withAnIdentityTheSecureDocumentsItCanReadAreSearchedInTheirOwnIndex() throws Exception {
    newDoc("plain", "public merger notes");
    Identity alice = Identity.generate();
    Identity bob = Identity.generate();
    Identity carol = Identity.generate();
    Path bobFile = dir.resolve("bob.id");
    Path carolFile = dir.resolve("carol.id");
    bob.save(bobFile, Optional.empty());
    carol.save(carolFile, Optional.empty());
    String secureUrl;
    try (LocalRepo local = LocalRepo.open(data(), "test", LocalRepo.Access.EXISTING, Optional.empty())) {
      SecureRepo alices = SecureRepo.of(local.repo(), alice);
      SecureDocument d = alices.create();
      d.document().transact(tx -> tx.putText(ObjId.ROOT, "title", "confidential merger plan"));
      d.share(bob.memberId(), Level.READ);
      alices.save(d);
      secureUrl = d.url().toString();
    }
    assertTrue(secureUrl.startsWith("loam-secure:"), secureUrl);

    String plainUrl = urls(json("public")).iterator().next();
    assertEquals(Set.of(), urls(json("confidential")), "without --id: no secure documents");
    assertEquals(Set.of(plainUrl), urls(json("merger")));
    assertEquals(Set.of(plainUrl, secureUrl), urls(json("merger", "--id", bobFile)));
    JsonNode bobs = json("confidential", "--id", bobFile);
    assertEquals(Set.of(secureUrl), urls(bobs));
    assertEquals("<b>confidential</b> merger plan", bobs.get(0).get("snippet").asString());
    assertEquals(Set.of(), urls(json("confidential", "--id", carolFile)), "carol is not a member");

    Path folder = SecureSearch.folder(data(), bob);
    assertTrue(folder.getFileName().toString().startsWith("search-index-"), folder.toString());
    assertTrue(Files.readString(folder.resolve(SecureSearch.MARKER)).startsWith("Derived plaintext"));
    // --reindex deletes the folder and builds it again
    Files.writeString(folder.resolve("stray"), "x");
    Cli.Result r = Cli.run("search", "--data", data(), "--reindex", "--id", bobFile);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("indexed 1 secure document\n"), r.err());
    assertFalse(Files.exists(folder.resolve("stray")));
    assertEquals(Set.of(secureUrl), urls(json("confidential", "--id", bobFile)));

    // the plaintext stays on the device: the repo's storage (what is synced and backed up) has none of it
    List<Chunk> chunks = new ArrayList<>();
    try (LocalRepo local = LocalRepo.open(data(), "test", LocalRepo.Access.EXISTING, Optional.empty())) {
      local.repo().backup(chunks::add);
    }
    for (Chunk c : chunks) {
      assertFalse(new String(c.data().toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("confidential"),
          c.key().toString());
    }
  }
}
