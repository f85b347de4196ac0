package dev.loam.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code loam mcp} treats what the assistant sends as hostile: bad URLs, bad paths, unknown hashes,
 * sizes beyond the limits and operations that fail half-way are each a clear tool error, and the
 * document is left exactly as it was (same JSON, same history).
 */
class HostileInputTest {
  @TempDir Path tmp;

  @Test
  void hostileArgumentsGetClearToolErrorsAndChangeNothing() throws Exception {
    Path data = tmp.resolve("data");
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    String url = LoamMcpProcessTest.create(data, tx -> {
      LoamMcpProcessTest.text(tx, ObjId.ROOT, "text", "abc");
      ObjId list = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
      tx.insert(list, 0, new ScalarValue.Int(1));
    });
    JsonNode original = McpProcess.JSON.readTree("{\"text\":\"abc\",\"list\":[1]}");
    try (McpProcess mcp = McpProcess.start(cwd, "--data", data.toString())) {
      JsonNode history = mcp.ok("document_history", Map.of("url", url));
      String zeros = "0".repeat(64);

      assertError(mcp, "not an automerge: URL", "read_document", Map.of("url", "automerge:not-a-document"));
      assertError(mcp, "has no document", "read_document", Map.of("url", DocumentId.random().toUrl().toString()));
      assertError(mcp, "--id", "read_document", Map.of("url", "loam-secure:" + DocumentId.random()));
      assertError(mcp, "at most 256 characters", "read_document", Map.of("url", "automerge:" + "x".repeat(5000)));
      assertError(mcp, "/heads/0", "read_document", Map.of("url", url, "heads", List.of("zz")));
      assertError(mcp, "has no change " + zeros, "read_document", Map.of("url", url, "heads", List.of(zeros)));
      assertError(mcp, "'extra'", "read_document", Map.of("url", url, "extra", 1));
      assertError(mcp, "invalid query", "search_documents", Map.of("query", "a*b*"));
      assertError(mcp, "/limit", "search_documents", Map.of("query", "abc", "limit", 0));
      assertError(mcp, "/limit", "document_history", Map.of("url", url, "limit", 1_000_000_000_000L));

      assertError(mcp, "/operations/0/op", "edit_document", edit(url, Map.of("op", "explode", "path", "/text")));
      assertError(mcp, "JSON Pointer", "edit_document", edit(url, Map.of("op", "delete", "path", "text")));
      assertError(mcp, "at most 64", "edit_document", edit(url, Map.of("op", "delete", "path", "/a".repeat(100))));
      assertError(mcp, "/operations/0/index", "edit_document", edit(url, Map.of("op", "splice", "path", "/text", "index", -1, "delete", 0, "text", "x")));
      assertError(mcp, "/operations/0/index", "edit_document", edit(url, Map.of("op", "splice", "path", "/text", "index", "one", "delete", 0)));
      assertError(mcp, "outside the text", "edit_document", edit(url, Map.of("op", "splice", "path", "/text", "index", 99, "delete", 0, "text", "x")));
      assertError(mcp, "deeper than 64", "edit_document", edit(url, Map.of("op", "put", "path", "/deep", "value", nested(100))));
      assertError(mcp, "longer than 1048576", "edit_document", edit(url, Map.of("op", "put", "path", "/big", "value", "x".repeat(2 << 20))));
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < 1001; i++) {
        many.add(Map.of("op", "insert", "path", "/list/-", "value", i));
      }
      assertError(mcp, "/operations", "edit_document", Map.of("url", url, "message", "m", "operations", many));
      assertError(mcp, "/message", "edit_document", Map.of("url", url, "message", "m".repeat(5000), "operations", List.of()));
      // the first operation is fine, the second fails: neither is applied
      assertError(mcp, "operations[1]: --put /missing/x: no such key: /missing", "edit_document", edit(url,
          Map.of("op", "splice", "path", "/text", "index", 0, "delete", 0, "text", "zzz"),
          Map.of("op", "put", "path", "/missing/x", "value", 1)));
      assertError(mcp, "not a counter", "edit_document", edit(url, Map.of("op", "increment", "path", "/list/0", "value", 1)));

      assertError(mcp, "has no change " + zeros, "revert_changes", Map.of("url", url, "hashes", List.of(zeros)));
      assertError(mcp, "/hashes", "revert_changes", Map.of("url", url, "hashes", List.of()));

      assertEquals(original, mcp.ok("read_document", Map.of("url", url)), "nothing was written");
      assertEquals(history, mcp.ok("document_history", Map.of("url", url)), "no change was recorded");
    }
    try (Stream<Path> files = Files.list(cwd)) {
      assertEquals(List.of(), files.toList(), "loam mcp wrote nothing outside its repo folder");
    }
  }

  /** A regression: the SDK's transport stopped reading on such a line and the process then waited forever. */
  @Test
  void aRequestLineLongerThanTheLimitEndsTheSessionWithAMessageInsteadOfHangingIt() throws Exception {
    Path data = tmp.resolve("data");
    LoamMcpProcessTest.create(data, tx -> tx.put(ObjId.ROOT, "n", new ScalarValue.Int(1)));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    Path stderr = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp",
        modulePath.isEmpty() ? classPath : modulePath + java.io.File.pathSeparator + classPath,
        dev.loam.cli.Main.class.getName(), "mcp", "--data", data.toString())
        .redirectError(stderr.toFile()).start();
    try (var out = p.getOutputStream()) {
      byte[] line = new byte[Limits.MAX_REQUEST_BYTES + 100];
      java.util.Arrays.fill(line, (byte) ' ');
      line[0] = '{';
      out.write(line);
      out.flush();
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "loam mcp ended");
    } catch (java.io.IOException e) {
      // the process may stop reading (and close the pipe) before the whole line is written
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "loam mcp ended");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(1, p.exitValue());
    String err = Files.readString(stderr);
    assertTrue(err.contains("a request was longer than " + Limits.MAX_REQUEST_BYTES + " bytes (the limit); the session ends"), err);
  }

  private static void assertError(McpProcess mcp, String expected, String tool, Map<String, Object> arguments) {
    String message = mcp.error(tool, arguments);
    assertTrue(message.contains(expected), () -> tool + ": expected an error about \"" + expected + "\", got: " + message);
    assertTrue(message.length() < 1000, () -> "a short message, not: " + message.substring(0, 1000));
  }

  @SafeVarargs
  private static Map<String, Object> edit(String url, Map<String, Object>... ops) {
    return Map.of("url", url, "message", "hostile", "operations", List.of(ops));
  }

  private static Object nested(int depth) {
    Object v = 1;
    for (int i = 0; i < depth; i++) {
      Map<String, Object> m = new HashMap<>();
      m.put("a", v);
      v = m;
    }
    return v;
  }
}
