package dev.loam.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.cli.Main;
import dev.loam.server.DataFolderLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Secure documents reach the assistant only through {@code --id}, and only as that identity may
 * use them; a folder that {@code loam serve} holds is refused with a message that says how to work
 * beside the server.
 */
class SecureAndSharedFolderTest {
  @TempDir Path tmp;

  /** Runs {@code loam args...} in-process; returns stdout, failing on a non-zero exit. */
  private static String loam(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertEquals(0, code, () -> "loam " + String.join(" ", args) + ": " + err);
    return out.toString().strip();
  }

  @Test
  void secureDocumentsAreAvailableOnlyThroughIdAndOnlyAsThatIdentityMay() {
    String data = tmp.resolve("data").toString();
    String alice = tmp.resolve("alice.id").toString();
    String bob = tmp.resolve("bob.id").toString();
    loam("id", "new", alice);
    String bobId = loam("id", "new", bob);
    String shared = loam("repo", "new", "--secure", "--id", alice, "--data", data);
    loam("repo", "edit", shared, "--id", alice, "--data", data, "--put", "/title", "\"Plans\"");
    loam("repo", "share", shared, bobId, "--level", "read", "--id", alice, "--data", data);
    String secret = loam("repo", "new", "--secure", "--id", alice, "--data", data);
    loam("repo", "edit", secret, "--id", alice, "--data", data, "--put", "/pin", "\"s3cr3t\"");
    String plain = LoamMcpProcessTest.create(tmp.resolve("data"), tx -> tx.put(ObjId.ROOT, "title", new ScalarValue.Str("Notes")));

    try (McpProcess mcp = McpProcess.start(tmp, "--data", data)) {
      assertEquals(List.of(plain), urls(mcp.ok("list_documents", Map.of())), "no --id: plain documents only");
      assertTrue(mcp.error("read_document", Map.of("url", shared)).contains("--id"));
    }
    try (McpProcess mcp = McpProcess.start(tmp, "--data", data, "--id", bob)) {
      JsonNode list = mcp.ok("list_documents", Map.of());
      assertEquals(List.of(plain, shared), urls(list), "bob reads the shared document, not alice's secret one");
      assertEquals("Plans", list.get(1).get("title").asString());
      assertEquals(McpProcess.JSON.readTree("{\"title\":\"Plans\"}"), mcp.ok("read_document", Map.of("url", shared)));
      String refused = mcp.error("read_document", Map.of("url", secret));
      assertTrue(refused.contains("may not read"), refused);
      assertFalse(refused.contains("s3cr3t"), "a refusal shows no content");
      assertTrue(mcp.error("edit_document", Map.of("url", shared, "message", "x", "operations",
          List.of(Map.of("op", "put", "path", "/x", "value", 1)))).contains("may not edit"));
      JsonNode hits = mcp.ok("search_documents", Map.of("query", "plans"));
      assertEquals(1, hits.size(), hits::toString);
      assertEquals(shared, hits.get(0).get("url").asString());
      assertEquals(0, mcp.ok("search_documents", Map.of("query", "s3cr3t")).size());
    }
    try (McpProcess mcp = McpProcess.start(tmp, "--data", data, "--id", alice)) {
      JsonNode edit = mcp.ok("edit_document", Map.of("url", secret, "message", "rotate", "operations",
          List.of(Map.of("op", "put", "path", "/pin", "value", "0000"))));
      JsonNode history = mcp.ok("document_history", Map.of("url", secret, "limit", 1));
      assertEquals(edit.get("change"), history.get(0).get("hash"));
      assertTrue(history.get(0).get("byAssistant").asBoolean());
      mcp.ok("revert_changes", Map.of("url", secret, "hashes", List.of(edit.get("change").asString())));
      assertEquals(McpProcess.JSON.readTree("{\"pin\":\"s3cr3t\"}"), mcp.ok("read_document", Map.of("url", secret)));
    }
    // the change was sealed into the folder's secure store: the CLI reads it as alice
    assertEquals("{\"pin\":\"s3cr3t\"}", loam("repo", "cat", secret, "--id", alice, "--data", data));
  }

  @Test
  void aFolderHeldByLoamServeIsRefusedWithTheWayToWorkBesideTheServer() throws Exception {
    Path data = tmp.resolve("data");
    LoamMcpProcessTest.create(data, tx -> tx.put(ObjId.ROOT, "n", new ScalarValue.Int(1)));
    StringWriter err = new StringWriter();
    try (DataFolderLock serve = DataFolderLock.acquire(data, "loam serve on port 3030")) {
      int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "mcp", "--data", data.toString());
      assertEquals(1, code);
    }
    String line = err.toString();
    assertTrue(line.contains("in use by loam serve on port 3030"), line);
    assertTrue(line.contains("loam mcp --data DIR --server ws://localhost:3030"), line);
    assertEquals(1, line.strip().lines().count(), "one line: " + line);
    assertTrue(Files.exists(data.resolve("loam.db")));
  }

  private static List<String> urls(JsonNode list) {
    return list.valueStream().map(d -> d.get("url").asString()).toList();
  }
}
