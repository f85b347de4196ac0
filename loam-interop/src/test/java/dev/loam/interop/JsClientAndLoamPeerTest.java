package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.peer.PeerListener;
import dev.loam.repo.presence.Presence;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * A stock JS automerge-repo 2.5.6 client ({@code Repo} + {@code WebSocketClientAdapter}, driven by
 * js/repo-ws-peer.mjs) connects straight to a Loam {@link Repo} that listens ({@link PeerListener}),
 * no server between: documents sync both ways; raw ephemeral messages ({@code DocHandle.broadcast}
 * and {@code ephemeral-message}) cross both ways, including one for a document the Loam repo has no
 * handle for; and automerge-repo's {@code Presence} and Loam's {@link Presence} see each other's
 * state, updates and goodbyes. Expected values are what the JS side sent or reports.
 */
class JsClientAndLoamPeerTest {
  private static final CBORMapper CBOR = CBORMapper.builder().build();

  private static Repo listeningRepo(PeerListener listener) {
    return Repo.builder().peerId(PeerId.of("loam-peer")).storage(new InMemoryStorageAdapter())
        .syncDebounce(Duration.ofMillis(5)).network(listener).build();
  }

  @Test
  void aStockJsClientSyncsDocumentsBothWaysWithAListeningLoamRepo() throws Exception {
    PeerListener listener = PeerListener.bind("127.0.0.1", 0);
    try (Repo loam = listeningRepo(listener);
        JsRepoPeer js = JsRepoPeer.start(listener.port())) {
      String fromJs = js.call("create", "text", "from js").get("documentId").asString();
      DocHandle h = loam.find(DocumentId.parse(fromJs)).whenReady().get(30, TimeUnit.SECONDS);
      RepoDocs.append(h, "from loam");
      RepoDocs.await("JS has Loam's edit", () -> js.call("heads", "documentId", fromJs).get("heads").equals(RepoDocs.hexHeads(h)));
      assertEquals("[\"from js\",\"from loam\"]", js.call("state", "documentId", fromJs).get("json").get("items").toString());

      DocHandle created = loam.create();
      created.change(tx -> tx.putObject(dev.loam.ObjId.ROOT, "items", dev.loam.ObjType.LIST));
      RepoDocs.append(created, "created in loam");
      String id = created.documentId().toString();
      js.call("find", "documentId", id);
      RepoDocs.await("JS has Loam's document", () -> js.call("heads", "documentId", id).get("heads").equals(RepoDocs.hexHeads(created)));
      assertEquals("[\"created in loam\"]", js.call("state", "documentId", id).get("json").get("items").toString());
    }
  }

  @Test
  void ephemeralMessagesCrossBothWaysIncludingForADocumentTheLoamRepoHasNotOpened() throws Exception {
    PeerListener listener = PeerListener.bind("127.0.0.1", 0);
    try (Repo loam = listeningRepo(listener);
        JsRepoPeer js = JsRepoPeer.start(listener.port())) {
      BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
      loam.addEphemeralListener((doc, sender, data) -> heard.add(List.of(doc.toString(), sender.value(), decode(data))));
      String id = js.call("create", "text", "x").get("documentId").asString();
      DocHandle h = loam.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);

      js.call("broadcast", "documentId", id, "messageJson", "{\"hello\":\"from js\",\"n\":[1,2.5,null]}");
      Object first = heard.poll(30, TimeUnit.SECONDS);
      assertEquals(List.of(id, js.peerId(), Map.of("hello", "from js", "n", java.util.Arrays.asList(1, 2.5, null))), first);

      h.broadcast(CBOR.writeValueAsBytes(Map.of("hello", "from loam")));
      RepoDocs.await("JS hears Loam's message", () -> js.call("ephemeral", "documentId", id).get("received").size() == 1);
      JsonNode got = js.call("ephemeral", "documentId", id).get("received").get(0);
      assertEquals("loam-peer", got.get("senderId").asString());
      assertEquals("{\"hello\":\"from loam\"}", got.get("message").toString());

      // Loam forgets the document (no handle); JS still counts Loam among its peers and broadcasts
      loam.delete(DocumentId.parse(id));
      assertTrue(!loam.documentIds().contains(DocumentId.parse(id)));
      js.call("broadcast", "documentId", id, "messageJson", "{\"after\":\"delete\"}");
      assertEquals(List.of(id, js.peerId(), Map.of("after", "delete")), heard.poll(30, TimeUnit.SECONDS),
          "heard by the repo's ephemeral listener though no handle is open");
    }
  }

  @Test
  void jsPresenceAndLoamPresenceSeeEachOthersStateUpdatesAndGoodbyes() throws Exception {
    PeerListener listener = PeerListener.bind("127.0.0.1", 0);
    try (Repo loam = listeningRepo(listener);
        JsRepoPeer js = JsRepoPeer.start(listener.port())) {
      String id = js.call("create", "text", "x").get("documentId").asString();
      DocHandle h = loam.find(DocumentId.parse(id)).whenReady().get(30, TimeUnit.SECONDS);
      BlockingQueue<Presence.Event> events = new LinkedBlockingQueue<>();
      PeerId jsPeer = PeerId.of(js.peerId());
      try (Presence presence = Presence.builder(h).heartbeat(Duration.ofMillis(200)).announceDelay(Duration.ZERO)
          .listener(events::add).build()) {
        presence.start(Map.of("name", "loam", "cursor", 0));
        js.call("presence-start", "documentId", id, "stateJson", "{\"name\":\"js\",\"cursor\":3}", "heartbeatMs", "200");

        // JS's snapshot reaches Loam; Loam's (sent again on hearing a new peer) reaches JS
        next(events, e -> e instanceof Presence.Event.Snapshot s && s.peerId().equals(jsPeer));
        assertEquals(Map.of("name", "js", "cursor", 3), presence.peerStates().get(jsPeer).value());
        RepoDocs.await("JS sees Loam's state", () -> js.call("presence-states", "documentId", id).get("states").has("loam-peer"));
        assertEquals(json("{\"name\":\"loam\",\"cursor\":0}"), js.call("presence-states", "documentId", id).get("states").get("loam-peer"));

        // updates one channel at a time, both ways
        js.call("presence-broadcast", "documentId", id, "channel", "cursor", "valueJson", "{\"line\":7,\"column\":2}");
        Presence.Event.Update u = (Presence.Event.Update) next(events, e -> e instanceof Presence.Event.Update);
        assertEquals(new Presence.Event.Update(jsPeer, "cursor", Map.of("line", 7, "column", 2)), u);
        assertEquals(Map.of("name", "js", "cursor", Map.of("line", 7, "column", 2)), presence.peerStates().get(jsPeer).value());
        presence.broadcast("selection", List.of(4, 9));
        RepoDocs.await("JS sees Loam's selection", () -> js.call("presence-states", "documentId", id)
            .get("states").get("loam-peer").has("selection"));
        assertEquals(json("{\"name\":\"loam\",\"cursor\":0,\"selection\":[4,9]}"),
            js.call("presence-states", "documentId", id).get("states").get("loam-peer"));

        // heartbeats keep each side alive; a goodbye forgets at once
        next(events, e -> e instanceof Presence.Event.Heartbeat hb && hb.peerId().equals(jsPeer));
        js.call("presence-stop", "documentId", id);
        next(events, e -> e instanceof Presence.Event.Goodbye g && g.peerId().equals(jsPeer));
        assertEquals(Map.of(), presence.peerStates());
        js.call("presence-start", "documentId", id, "stateJson", "{\"name\":\"js again\"}", "heartbeatMs", "200");
        next(events, e -> e instanceof Presence.Event.Snapshot s && s.state().equals(Map.of("name", "js again")));
      }
      // closing Loam's presence said goodbye
      RepoDocs.await("JS forgets Loam after its goodbye", () -> {
        JsonNode evs = js.call("presence-events", "documentId", id).get("events");
        for (JsonNode e : evs) {
          if (e.get("type").asString().equals("goodbye") && e.get("peerId").asString().equals("loam-peer")) {
            return !js.call("presence-states", "documentId", id).get("states").has("loam-peer");
          }
        }
        return false;
      });
    }
  }

  private static Presence.Event next(BlockingQueue<Presence.Event> events, Predicate<Presence.Event> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Presence.Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("timed out waiting for a presence event");
      }
      if (wanted.test(e)) {
        return e;
      }
    }
  }

  private static JsonNode json(String text) {
    return NodeDriver.JSON.readTree(text);
  }

  private static Object decode(Bytes data) {
    return CBOR.readValue(data.toByteArray(), Object.class);
  }

  /** js/repo-ws-peer.mjs connected to a listening Loam repo. */
  private static final class JsRepoPeer implements AutoCloseable {
    private final JsonLinesNode node;

    private JsRepoPeer(JsonLinesNode node) {
      this.node = node;
      if (!node.greeting().path("ready").asBoolean(false)) {
        throw new IllegalStateException("the JS client did not connect: " + node.greeting() + "; stderr:\n" + node.stderr());
      }
    }

    static JsRepoPeer start(int port) {
      return new JsRepoPeer(JsonLinesNode.start("the JS client", "js/repo-ws-peer.mjs",
          "@automerge/automerge-repo-network-websocket", "ws://127.0.0.1:" + port));
    }

    String peerId() {
      return node.greeting().get("peerId").asString();
    }

    JsonNode call(String cmd, String... keyValues) {
      return node.call(cmd, keyValues);
    }

    @Override
    public void close() {
      node.close();
    }
  }
}
