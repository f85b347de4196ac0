package dev.loam.mcp;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.LoamServer;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.SubscribeRequest;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A person edits a document through a repo synced with a Loam sync server while the assistant edits
 * it through {@code loam mcp --server} (a folder of its own, synced with the same server): both
 * converge, and reverting the assistant's change restores the text exactly while keeping the
 * person's later edit. Expected texts are worked out by hand from the edits.
 */
class PersonAndAssistantTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void aPersonAndTheAssistantEditOneDocumentConcurrentlyConvergeAndARevertKeepsThePersonsLaterEdit() throws Exception {
    try (LoamServer server = LoamServer.builder().host("127.0.0.1").port(0).storage(new InMemoryStorageAdapter()).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port();
      WebSocketClientAdapter network = WebSocketClientAdapter.of(ws);
      try (Repo person = Repo.builder().storage(new InMemoryStorageAdapter()).network(network).build()) {
        PeerId serverPeer = network.firstHandshake().get(DEADLINE.toSeconds(), SECONDS);
        DocHandle doc = person.create();
        doc.change(tx -> {
          ObjId t = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.spliceText(t, 0, 0, "Hello world.");
        });
        doc.whenSyncedWith(serverPeer).get(DEADLINE.toSeconds(), SECONDS);
        String url = doc.url().toString();

        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        try (McpProcess mcp = McpProcess.start(cwd, "--data", tmp.resolve("assistant").toString(), "--server", ws)) {
          assertEquals(json("Hello world."), mcp.ok("read_document", Map.of("url", url)), "fetched from the server");
          mcp.client.subscribeResource(new SubscribeRequest(LoamMcpServer.RESOURCE_PREFIX + url));

          // Concurrently: the person appends without waiting for anything, the assistant replaces
          // "world" (indexes 6..11 whether or not the person's append has reached it yet).
          doc.change(tx -> tx.spliceText(textId(doc), 12, 0, " Bye."));
          JsonNode edit = mcp.ok("edit_document", Map.of("url", url, "message", "more cosmic", "operations",
              List.of(Map.of("op", "splice", "path", "/text", "index", 6, "delete", 5, "text", "planet"))));
          String assistantChange = edit.get("change").asString();
          awaitPerson(doc, "Hello planet. Bye.");
          awaitAssistant(mcp, "Hello planet. Bye.");

          // The person's later edit, made after seeing the assistant's.
          doc.change(tx -> tx.spliceText(textId(doc), 18, 0, " See you."));
          awaitAssistant(mcp, "Hello planet. Bye. See you.");

          JsonNode revert = mcp.ok("revert_changes", Map.of("url", url, "hashes", List.of(assistantChange)));
          assertEquals(json("Hello world. Bye. See you."), mcp.ok("read_document", Map.of("url", url)));
          awaitPerson(doc, "Hello world. Bye. See you.");
          assertEquals(revert.get("heads"), heads(doc), "both hold the same history");

          JsonNode history = mcp.ok("document_history", Map.of("url", url));
          assertEquals(revert.get("change").asString(), history.get(0).get("hash").asString());
          int byAssistant = 0;
          for (JsonNode c : history) {
            boolean mine = c.get("hash").asString().equals(assistantChange) || c.get("hash").equals(revert.get("change"));
            assertEquals(mine, c.get("byAssistant").asBoolean(), c::toString);
            byAssistant += mine ? 1 : 0;
          }
          assertEquals(2, byAssistant);
        }
        try (var files = Files.list(cwd)) {
          assertEquals(List.of(), files.toList(), "loam mcp wrote nothing outside its repo folder");
        }
      }
    }
  }

  private static JsonNode json(String text) {
    return McpProcess.JSON.createObjectNode().put("text", text);
  }

  private static ObjId textId(DocHandle doc) {
    return doc.read(d -> ((Value.Obj) d.get(ObjId.ROOT, "text").orElseThrow()).id());
  }

  private static JsonNode heads(DocHandle doc) {
    var a = McpProcess.JSON.createArrayNode();
    doc.heads().hashes().forEach(h -> a.add(h.hex()));
    return a;
  }

  /** Waits until the person's document reads {@code {"text": expected}}. */
  private static void awaitPerson(DocHandle doc, String expected) throws Exception {
    JsonNode want = json(expected);
    CompletableFuture<Void> done = new CompletableFuture<>();
    DocHandle.Listener l = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (McpProcess.JSON.readTree(doc.toJson()).equals(want)) {
          done.complete(null);
        }
      }
    };
    doc.addListener(l);
    try {
      if (McpProcess.JSON.readTree(doc.toJson()).equals(want)) {
        done.complete(null);
      }
      done.get(DEADLINE.toSeconds(), SECONDS);
    } catch (TimeoutException e) {
      fail("the person's document is " + doc.toJson() + ", not " + want);
    } finally {
      doc.removeListener(l);
    }
  }

  /** Waits until loam mcp announces (to the subscribed client) that the document reads {@code {"text": expected}}. */
  private static void awaitAssistant(McpProcess mcp, String expected) throws InterruptedException {
    JsonNode want = json(expected);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String last = "(no update)";
    while (true) {
      ResourceContents c = mcp.updates.poll(deadline - System.nanoTime(), NANOSECONDS);
      if (c == null) {
        fail("loam mcp's document is " + last + ", not " + want + "; its stderr: " + mcp.stderr());
      }
      assertTrue(c instanceof TextResourceContents, c::toString);
      last = ((TextResourceContents) c).text();
      if (McpProcess.JSON.readTree(last).equals(want)) {
        return;
      }
    }
  }
}
