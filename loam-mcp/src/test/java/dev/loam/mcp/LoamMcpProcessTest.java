package dev.loam.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Transaction;
import dev.loam.cli.LocalRepo;
import dev.loam.repo.DocHandle;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An MCP client (the SDK's) drives a real {@code loam mcp} process through every tool and the
 * resources, on a repo folder made here; expected values are written out by hand from what the
 * test put in (the plain model of the documents), never read back from the code under test.
 */
class LoamMcpProcessTest {
  @TempDir Path tmp;

  /** Makes a document in the repo folder {@code data} (closing it again) and returns its URL. */
  static String create(Path data, Consumer<Transaction> body) {
    try (LocalRepo local = LocalRepo.open(data, "test", LocalRepo.Access.CREATE, Optional.empty())) {
      DocHandle h = local.repo().create();
      h.change(body);
      return h.url().toString();
    }
  }

  static void text(Transaction tx, ObjId obj, String key, String text) {
    ObjId t = tx.putObject(obj, key, ObjType.TEXT);
    tx.spliceText(t, 0, 0, text);
  }

  @Test
  void anMcpClientListsReadsSearchesEditsAndReadsTheHistoryOfARealLoamMcpProcess() throws IOException {
    Path data = tmp.resolve("data");
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    String shopping = create(data, tx -> {
      text(tx, ObjId.ROOT, "title", "Shopping");
      ObjId items = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
      tx.insert(items, 0, new dev.loam.ScalarValue.Str("milk"));
      text(tx, ObjId.ROOT, "notes", "oat milk please");
    });
    String trip = create(data, tx -> tx.put(ObjId.ROOT, "title", new dev.loam.ScalarValue.Str("Trip to Lisbon")));
    String untitled = create(data, tx -> tx.put(ObjId.ROOT, "n", new dev.loam.ScalarValue.Int(1)));

    String firstChange;
    try (McpProcess mcp = McpProcess.start(cwd, "--data", data.toString())) {
      Set<String> tools = mcp.client.listTools().tools().stream().map(Tool::name).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(new TreeSet<>(List.of("list_documents", "read_document", "search_documents", "edit_document",
          "document_history", "revert_changes")), tools);

      JsonNode list = mcp.ok("list_documents", Map.of());
      Map<String, String> titles = new java.util.HashMap<>();
      list.forEach(d -> titles.put(d.get("url").asString(), d.has("title") ? d.get("title").asString() : "(none)"));
      assertEquals(Map.of(shopping, "Shopping", trip, "Trip to Lisbon", untitled, "(none)"), titles);

      assertEquals(McpProcess.JSON.readTree("{\"title\":\"Shopping\",\"items\":[\"milk\"],\"notes\":\"oat milk please\"}"),
          mcp.ok("read_document", Map.of("url", shopping)));

      JsonNode hits = mcp.ok("search_documents", Map.of("query", "oat"));
      assertEquals(1, hits.size(), hits::toString);
      assertEquals(shopping, hits.get(0).get("url").asString());
      assertEquals("/notes", hits.get(0).get("paths").get(0).asString());
      JsonNode lisbon = mcp.ok("search_documents", Map.of("query", "lisbon", "limit", 1));
      assertEquals(1, lisbon.size());
      assertEquals(trip, lisbon.get(0).get("url").asString());

      // Repo.create() records an empty change, then the person's change: the newest is the heads
      List<String> headsBefore = strings(mcp.ok("document_history", Map.of("url", shopping, "limit", 1)), "hash");
      JsonNode edit = mcp.ok("edit_document", Map.of("url", shopping, "message", "add bread and eggs", "operations", List.of(
          Map.of("op", "splice", "path", "/notes", "index", 15, "delete", 0, "text", ", and eggs"),
          Map.of("op", "insert", "path", "/items/-", "value", "bread"),
          Map.of("op", "put", "path", "/done", "value", false),
          Map.of("op", "put", "path", "/count", "value", 2, "as", "counter"),
          Map.of("op", "increment", "path", "/count", "value", 3),
          Map.of("op", "delete", "path", "/title"))));
      firstChange = edit.get("change").asString();
      assertEquals(List.of(firstChange), strings(edit.get("heads")));
      assertEquals(McpProcess.JSON.readTree(
              "{\"items\":[\"milk\",\"bread\"],\"notes\":\"oat milk please, and eggs\",\"done\":false,\"count\":5}"),
          mcp.ok("read_document", Map.of("url", shopping)));
      // the document as it was before the edit, by its heads then
      assertEquals(McpProcess.JSON.readTree("{\"title\":\"Shopping\",\"items\":[\"milk\"],\"notes\":\"oat milk please\"}"),
          mcp.ok("read_document", Map.of("url", shopping, "heads", headsBefore)));
      assertEquals(1, mcp.ok("search_documents", Map.of("query", "eggs")).size(), "the edit is searchable at once");

      JsonNode history = mcp.ok("document_history", Map.of("url", shopping));
      assertEquals(3, history.size(), "the creation, the person's change, the assistant's");
      assertEquals(firstChange, history.get(0).get("hash").asString(), "newest first");
      assertEquals("[assistant] add bread and eggs", history.get(0).get("message").asString());
      assertTrue(history.get(0).get("byAssistant").asBoolean());
      long now = java.time.Instant.now().getEpochSecond();
      long time = history.get(0).get("time").asLong();
      assertTrue(time > now - 600 && time <= now + 1, () -> "the change's time, in seconds since 1970: " + time);
      assertFalse(history.get(1).get("byAssistant").asBoolean(), "the person's change is not the assistant's");
      assertEquals(1, mcp.ok("document_history", Map.of("url", shopping, "limit", 1)).size());

      List<String> uris = mcp.client.listResources().resources().stream().map(Resource::uri).sorted().toList();
      assertEquals(Stream.of(shopping, trip, untitled).map(u -> "loam://" + u).sorted().toList(), uris);
      var contents = mcp.client.readResource(new ReadResourceRequest("loam://" + trip)).contents();
      assertEquals("{\"title\":\"Trip to Lisbon\"}", ((TextResourceContents) contents.getFirst()).text());
    }

    // A later process writes as another actor, and still knows the first one's change as an assistant's.
    try (McpProcess mcp = McpProcess.start(cwd, "--data", data.toString())) {
      mcp.ok("edit_document", Map.of("url", trip, "message", "rename", "operations",
          List.of(Map.of("op", "put", "path", "/title", "value", "Trip to Porto"))));
      JsonNode shoppingHistory = mcp.ok("document_history", Map.of("url", shopping));
      assertEquals(firstChange, shoppingHistory.get(0).get("hash").asString());
      assertTrue(shoppingHistory.get(0).get("byAssistant").asBoolean());
      JsonNode tripHistory = mcp.ok("document_history", Map.of("url", trip));
      assertTrue(tripHistory.get(0).get("byAssistant").asBoolean());
      assertNotEquals(shoppingHistory.get(0).get("actor").asString(), tripHistory.get(0).get("actor").asString(),
          "one actor per loam mcp process");
    }
    try (Stream<Path> files = Files.list(cwd)) {
      assertEquals(List.of(), files.toList(), "loam mcp wrote nothing outside its repo folder");
    }
  }

  static List<String> strings(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.get(field).asString()));
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asString()));
    return out;
  }
}
