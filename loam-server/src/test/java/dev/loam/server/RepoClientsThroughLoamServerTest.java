package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.Repo;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loam repos with the WebSocket client adapter sync through {@code loam serve}'s server. */
class RepoClientsThroughLoamServerTest {
  private LoamServer server;
  private final List<Repo> repos = new ArrayList<>();

  @AfterEach
  void stop() {
    repos.forEach(Repo::close);
    if (server != null) {
      server.close();
    }
  }

  private Repo client(String name) throws Exception {
    Repo r = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
        .network(WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + server.port()))
            .initialBackoff(Duration.ofMillis(50)).build())
        .build();
    repos.add(r);
    assertEquals(server.peerId(), within(name + " connects", r.whenPeerConnected()));
    return r;
  }

  @Test
  void twoRepoClientsEditOneDocumentThroughTheServerAndConverge() throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter()).build().start();
    Repo a = client("a");
    Repo b = client("b");
    DocHandle ha = a.create();
    ha.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    // the server reports our heads only once it has stored them: b's request comes after
    within("the server has the list", ha.whenPeerHas(server.peerId(), ha.heads()));
    DocHandle hb = within("b finds the document", b.find(ha.url()).whenReady());
    boolean hasList = hb.read(d -> d.get(ObjId.ROOT, "items").isPresent());
    assertTrue(hasList, hb.toJson());
    for (int i = 0; i < 20; i++) {
      append(ha, "a" + i);
      append(hb, "b" + i);
    }
    awaitChange(ha, "a has all 40 items", () -> length(ha) == 40);
    awaitChange(hb, "b has all 40 items", () -> length(hb) == 40);
    assertEquals(ha.heads(), hb.heads());
    assertEquals(ha.toJson(), hb.toJson());
  }

  @Test
  void aDocumentNobodyHasIsUnavailableThroughTheServer() throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter()).build().start();
    Repo a = client("a");
    DocHandle h = a.find(dev.loam.repo.id.DocumentId.random());
    try {
      h.whenReady().get(20, TimeUnit.SECONDS);
      fail("a document nobody has became ready");
    } catch (ExecutionException e) {
      assertEquals(DocumentUnavailableException.class, e.getCause().getClass());
    }
  }

  @Test
  void aChangeThatWouldTakeADocumentPastTheServersLimitIsRefusedAndNeverAcknowledged() throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter())
        .limits(ServerLimits.builder().maxDocumentBytes(16 << 10).build()).build().start();
    Repo a = client("a");
    DocHandle ha = a.create();
    ha.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    within("the server has the list", ha.whenPeerHas(server.peerId(), ha.heads()));
    append(ha, "small");
    within("the server has a small item", ha.whenPeerHas(server.peerId(), ha.heads()));
    append(ha, "x".repeat(20 << 10)); // 20 KiB: past the 16 KiB limit
    try {
      ha.whenPeerHas(server.peerId(), ha.heads()).get(3, TimeUnit.SECONDS);
      fail("the server acknowledged a change past its document limit");
    } catch (TimeoutException expected) {
      // refused: never stored, so never acknowledged
    }
    DocHandle hb = within("b finds the document", client("b").find(ha.url()).whenReady());
    assertEquals(1, length(hb), hb.toJson()); // the small item, not the large one
  }

  @Test
  void theSameChangeUnderTheDefaultDocumentLimitIsStoredAndAcknowledged() throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter()).build().start();
    Repo a = client("a");
    DocHandle ha = a.create();
    ha.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    append(ha, "small");
    append(ha, "x".repeat(20 << 10));
    within("the server has the large item", ha.whenPeerHas(server.peerId(), ha.heads()));
    DocHandle hb = within("b finds the document", client("b").find(ha.url()).whenReady());
    assertEquals(2, length(hb), hb.toJson());
  }

  private static void append(DocHandle h, String text) {
    h.change(tx -> {
      ObjId items = ((Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
      tx.insert(items, tx.length(items), ScalarValue.of(text));
    });
  }

  private static int length(DocHandle h) {
    return h.read(d -> d.length(((Value.Obj) d.get(ObjId.ROOT, "items").orElseThrow()).id()));
  }

  private static <T> T within(String what, CompletableFuture<T> future) throws Exception {
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("timed out waiting until " + what);
    }
  }

  /** Waits until {@code condition} holds, checking it now and after each change to {@code h}. */
  private static void awaitChange(DocHandle h, String what, BooleanSupplier condition) throws Exception {
    CompletableFuture<Void> holds = new CompletableFuture<>();
    DocHandle.Listener listener = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (condition.getAsBoolean()) {
          holds.complete(null);
        }
      }
    };
    h.addListener(listener);
    try {
      if (condition.getAsBoolean()) {
        holds.complete(null);
      }
      within(what, holds);
    } finally {
      h.removeListener(listener);
    }
  }
}
