package dev.loam.repo;

import dev.loam.repo.testing.PairedNetworkAdapter;
import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.await;
import static dev.loam.repo.RepoTestSupport.awaitConverged;
import static dev.loam.repo.RepoTestSupport.items;
import static dev.loam.repo.RepoTestSupport.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Repos on virtual threads, linked by in-process pairs, converge as automerge-repo peers do. */
class RepoSyncTest {
  private final List<Repo> repos = new ArrayList<>();

  @AfterEach
  void closeRepos() {
    repos.forEach(Repo::close);
  }

  private Repo repo(String name, PairedNetworkAdapter... ends) {
    Repo.Builder b = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
        .syncDebounce(Duration.ofMillis(5)).unavailableTimeout(Duration.ofMillis(200));
    for (PairedNetworkAdapter e : ends) {
      b.network(e);
    }
    Repo r = b.build();
    repos.add(r);
    return r;
  }

  @Test
  void twoReposConvergeOnDocumentsCreatedOnEitherSide() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    await("the repos see each other", () -> a.peers().size() == 1 && b.peers().size() == 1);

    DocHandle fromA = a.create();
    append(fromA, "a1");
    DocHandle fromB = b.create();
    append(fromB, "b1");

    DocHandle fromAatB = ready(b.find(fromA.url()));
    DocHandle fromBatA = ready(a.find(fromB.documentId()));
    awaitConverged(List.of(fromA, fromAatB));
    awaitConverged(List.of(fromB, fromBatA));

    for (int i = 0; i < 20; i++) {
      append(fromA, "a" + i);
      append(fromAatB, "b" + i);
    }
    awaitConverged(List.of(fromA, fromAatB));
    assertEquals(41, items(fromA));
  }

  @Test
  void threeReposInAMeshConvergeOnConcurrentEdits() {
    PairedNetworkAdapter.Pair ab = PairedNetworkAdapter.pair();
    PairedNetworkAdapter.Pair bc = PairedNetworkAdapter.pair();
    PairedNetworkAdapter.Pair ca = PairedNetworkAdapter.pair();
    Repo a = repo("a", ab.left(), ca.right());
    Repo b = repo("b", ab.right(), bc.left());
    Repo c = repo("c", bc.right(), ca.left());
    await("a full mesh", () -> a.peers().size() == 2 && b.peers().size() == 2 && c.peers().size() == 2);

    DocHandle ha = a.create();
    ha.change(tx -> tx.putObject(ObjId.ROOT, "items", dev.loam.ObjType.LIST)); // one list, not three concurrent ones
    DocHandle hb = ready(b.find(ha.url()));
    DocHandle hc = ready(c.find(ha.url()));
    awaitConverged(List.of(ha, hb, hc));
    List<Thread> writers = new ArrayList<>();
    for (DocHandle h : List.of(ha, hb, hc)) {
      writers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 30; i++) {
          append(h, h.toString() + i);
        }
      }));
    }
    writers.forEach(t -> {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    awaitConverged(List.of(ha, hb, hc));
    assertEquals(90, items(ha));
  }

  @Test
  void offlineEditsOnBothSidesSyncOnReconnect() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    DocHandle ha = a.create();
    append(ha, "before");
    DocHandle hb = ready(b.find(ha.url()));
    awaitConverged(List.of(ha, hb));

    link.disconnect();
    await("both see the link drop", () -> a.peers().isEmpty() && b.peers().isEmpty());
    for (int i = 0; i < 10; i++) {
      append(ha, "offline a" + i);
      append(hb, "offline b" + i);
    }
    assertFalse(ha.heads().equals(hb.heads()));
    link.reconnect();
    awaitConverged(List.of(ha, hb));
    assertEquals(21, items(ha));
  }

  @Test
  void aDocumentNobodyHasIsUnavailableOnEverySide() throws Exception {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    await("the repos see each other", () -> a.peers().size() == 1 && b.peers().size() == 1);
    DocumentId missing = DocumentId.random();
    DocHandle h = a.find(missing);
    ExecutionException e = assertThrows(ExecutionException.class, () -> h.whenReady().get(20, TimeUnit.SECONDS));
    DocumentUnavailableException cause = assertInstanceOf(DocumentUnavailableException.class, e.getCause());
    assertEquals(DocHandle.State.UNAVAILABLE, cause.state());
    assertEquals(DocHandle.State.UNAVAILABLE, h.state());
    assertThrows(IllegalStateException.class, () -> h.change(tx -> tx.put(ObjId.ROOT, "x", 1)));
  }

  @Test
  void withNoPeerAMissingDocumentIsUnavailableAfterTheTimeout() {
    Repo lonely = repo("lonely");
    DocHandle h = lonely.find(DocumentId.random());
    ExecutionException e = assertThrows(ExecutionException.class, () -> h.whenReady().get(20, TimeUnit.SECONDS));
    assertInstanceOf(DocumentUnavailableException.class, e.getCause());
  }

  @Test
  void aDocumentDeclaredUnavailableBecomesReadyWhenAPeerBringsIt() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    link.disconnect();
    DocHandle original = b.create();
    append(original, "x");
    DocHandle h = a.find(original.documentId());
    await("unavailable while the link is down", () -> h.state() == DocHandle.State.UNAVAILABLE);
    link.reconnect();
    await("ready once b is back", () -> h.state() == DocHandle.State.READY);
    awaitConverged(List.of(original, h));
  }

  @Test
  void ephemeralMessagesAreRelayedToTheOtherPeersOnceEach() {
    // a - b - c in a line: b relays between a and c
    PairedNetworkAdapter.Pair ab = PairedNetworkAdapter.pair();
    PairedNetworkAdapter.Pair bc = PairedNetworkAdapter.pair();
    Repo a = repo("a", ab.left());
    Repo b = repo("b", ab.right(), bc.left());
    Repo c = repo("c", bc.right());
    await("a line", () -> a.peers().size() == 1 && b.peers().size() == 2 && c.peers().size() == 1);
    DocHandle ha = a.create();
    // b announces the document to c before b has it, so c may first conclude nobody has it (as
    // automerge-repo would); c's copy becomes ready once b has it: wait for state, not the future
    DocHandle hb = b.find(ha.url());
    DocHandle hc = c.find(ha.url());
    awaitConverged(List.of(ha, hb, hc));
    CopyOnWriteArrayList<String> atB = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<String> atC = new CopyOnWriteArrayList<>();
    hb.addListener(new DocHandle.Listener() {
      @Override public void ephemeral(DocHandle handle, PeerId sender, dev.loam.Bytes data) { atB.add(sender + ":" + data.hex()); }
    });
    hc.addListener(new DocHandle.Listener() {
      @Override public void ephemeral(DocHandle handle, PeerId sender, dev.loam.Bytes data) { atC.add(sender + ":" + data.hex()); }
    });
    ha.broadcast(new byte[] {(byte) 0xa1, 0x61, 0x78, 0x01}); // CBOR {"x": 1}
    await("c hears a through b", () -> atC.size() == 1);
    assertEquals(List.of("a:a1617801"), atB);
    assertEquals(List.of("a:a1617801"), atC);
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals(1, atC.size(), "relayed once, never echoed back and forth");
  }

  @Test
  void listenersReceivePatchesForLocalAndRemoteChangesOutsideTheLock() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    DocHandle ha = a.create();
    DocHandle hb = ready(b.find(ha.url()));
    CopyOnWriteArrayList<DocChange> local = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<DocChange> remote = new CopyOnWriteArrayList<>();
    ha.addListener(new DocHandle.Listener() {
      @Override public void changed(DocChange change) {
        local.add(change);
        change.handle().heads(); // would deadlock if called under another thread's lock; allowed here
      }
    });
    hb.addListener(new DocHandle.Listener() {
      @Override public void changed(DocChange change) { remote.add(change); }
    });
    ha.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("hello")));
    await("b hears the change", () -> !remote.isEmpty());
    assertEquals(1, local.size());
    assertTrue(local.getFirst().local());
    assertFalse(local.getFirst().patches().isEmpty());
    assertEquals(PeerId.of("a"), remote.getFirst().peer());
    assertFalse(remote.getFirst().patches().isEmpty());
  }

  @Test
  void aServerWithANeverSharePolicyAnswersButAnnouncesNothing() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo server = Repo.builder().peerId(PeerId.of("server")).storage(new InMemoryStorageAdapter())
        .sharePolicy(SharePolicy.NEVER).syncDebounce(Duration.ofMillis(5)).network(link.left()).build();
    repos.add(server);
    Repo client = repo("client", link.right());
    DocHandle onServer = server.create();
    append(onServer, "s");
    DocHandle onClient = client.create();
    append(onClient, "c");
    DocHandle clientDocOnServer = ready(server.find(onClient.url()));
    awaitConverged(List.of(onClient, clientDocOnServer));
    // the client only gets the server's document by asking for it
    DocHandle serverDocOnClient = ready(client.find(onServer.url()));
    awaitConverged(List.of(onServer, serverDocOnClient));
  }

  @Test
  void deleteForgetsTheDocument() throws Exception {
    Repo a = repo("a");
    DocHandle h = a.create();
    append(h, "x");
    byte[] saved = a.export(h.documentId()).get(10, TimeUnit.SECONDS);
    a.delete(h.documentId());
    assertEquals(DocHandle.State.DELETED, h.state());
    DocHandle copy = a.importDoc(saved);
    assertEquals(1, items(ready(copy)));
  }
}
