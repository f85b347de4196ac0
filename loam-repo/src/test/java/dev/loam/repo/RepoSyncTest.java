package dev.loam.repo;

import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.await;
import static dev.loam.repo.RepoTestSupport.awaitEvents;
import static dev.loam.repo.RepoTestSupport.awaitFailure;
import static dev.loam.repo.RepoTestSupport.awaitLatch;
import static dev.loam.repo.RepoTestSupport.awaitPeers;
import static dev.loam.repo.RepoTestSupport.awaitConverged;
import static dev.loam.repo.RepoTestSupport.items;
import static dev.loam.repo.RepoTestSupport.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.testing.PairedNetworkAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
    RepoBuilder b = Repo.builder().peerId(PeerId.of(name)).storage(new InMemoryStorageAdapter())
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
    awaitPeers(a, "b");
    awaitPeers(b, "a");

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
    awaitPeers(a, "b", "c");
    awaitPeers(b, "a", "c");
    awaitPeers(c, "a", "b");

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

    link.disconnect(); // from here the link drops every message; each repo hears of it in order before the reconnect
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
    awaitPeers(a, "b");
    awaitPeers(b, "a");
    DocumentId missing = DocumentId.random();
    DocHandle h = a.find(missing);
    DocumentUnavailableException cause = awaitFailure("unavailable", DocumentUnavailableException.class, h.whenReady());
    assertEquals(DocHandle.State.UNAVAILABLE, cause.state());
    assertEquals(DocHandle.State.UNAVAILABLE, h.state());
    assertThrows(IllegalStateException.class, () -> h.change(tx -> tx.put(ObjId.ROOT, "x", 1)));
  }

  @Test
  void withNoPeerAMissingDocumentIsUnavailableAfterTheTimeout() {
    Repo lonely = repo("lonely");
    DocHandle h = lonely.find(DocumentId.random());
    awaitFailure("unavailable after the timeout", DocumentUnavailableException.class, h.whenReady());
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
    DocumentUnavailableException unavailable = awaitFailure("unavailable while the link is down",
        DocumentUnavailableException.class, h.whenReady());
    assertEquals(DocHandle.State.UNAVAILABLE, unavailable.state());
    link.reconnect();
    awaitEvents(() -> "ready once b is back (" + h.state() + ")", List.of(h), () -> h.state() == DocHandle.State.READY);
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
    awaitPeers(a, "b");
    awaitPeers(b, "a", "c");
    awaitPeers(c, "b");
    DocHandle ha = a.create();
    // b announces the document to c before b has it, so c may first conclude nobody has it (as
    // automerge-repo would); c's copy becomes ready once b has it: wait for state, not the future
    DocHandle hb = b.find(ha.url());
    DocHandle hc = c.find(ha.url());
    awaitConverged(List.of(ha, hb, hc));
    CopyOnWriteArrayList<String> atB = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<String> atC = new CopyOnWriteArrayList<>();
    CountDownLatch bothAtC = new CountDownLatch(2);
    hb.addListener(new DocHandle.Listener() {
      @Override public void ephemeral(DocHandle handle, PeerId sender, dev.loam.Bytes data) { atB.add(sender + ":" + data.hex()); }
    });
    hc.addListener(new DocHandle.Listener() {
      @Override public void ephemeral(DocHandle handle, PeerId sender, dev.loam.Bytes data) {
        atC.add(sender + ":" + data.hex());
        bothAtC.countDown();
      }
    });
    ha.broadcast(new byte[] {(byte) 0xa1, 0x61, 0x78, 0x01}); // CBOR {"x": 1}
    ha.broadcast(new byte[] {(byte) 0xa1, 0x61, 0x78, 0x02}); // CBOR {"x": 2}
    awaitLatch("c hears both through b", bothAtC);
    // An echo would travel c -> b -> c. c handled the first message whole (and so relayed it to b,
    // where it must be dropped) before it heard the second. A change from c now goes to b behind
    // that relay, and b's answer naming it comes back to c behind anything b echoed: once c and b
    // report the same heads, every echo would have arrived.
    append(hc, "after the broadcasts");
    await("b answers c's change", hc.whenSyncedWith(PeerId.of("b")));
    assertEquals(List.of("a:a1617801", "a:a1617802"), atB);
    assertEquals(List.of("a:a1617801", "a:a1617802"), atC, "relayed once, never echoed back and forth");
  }

  @Test
  void listenersReceivePatchesForLocalAndRemoteChangesOutsideTheLock() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    DocHandle ha = a.create();
    DocHandle hb = ready(b.find(ha.url()));
    CopyOnWriteArrayList<DocChange> local = new CopyOnWriteArrayList<>();
    CompletableFuture<DocChange> remote = new CompletableFuture<>();
    ha.addListener(new DocHandle.Listener() {
      @Override public void changed(DocChange change) {
        local.add(change);
        change.handle().heads(); // would deadlock if called under another thread's lock; allowed here
      }
    });
    hb.addListener(new DocHandle.Listener() {
      @Override public void changed(DocChange change) { remote.complete(change); }
    });
    ha.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("hello")));
    DocChange heard = await("b hears the change", remote);
    assertEquals(1, local.size());
    assertTrue(local.getFirst().local());
    assertFalse(local.getFirst().patches().isEmpty());
    assertEquals(Optional.of(PeerId.of("a")), heard.peer());
    assertFalse(heard.patches().isEmpty());
  }

  @Test
  void aChangesPatchesAreComputedWhenAskedForEvenAfterLaterChanges() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    Repo b = repo("b", link.right());
    DocHandle ha = a.create();
    DocHandle hb = ready(b.find(ha.url()));
    CompletableFuture<DocChange> first = new CompletableFuture<>();
    hb.addListener(new DocHandle.Listener() {
      @Override public void changed(DocChange change) { first.complete(change); } // patches not asked for
    });
    ha.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("hello")));
    DocChange heard = await("b hears the change", first);
    ha.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("later")));
    awaitConverged(List.of(ha, hb));
    List<Patch> patches = heard.patches(); // the first change's, asked for after the second arrived
    assertEquals(List.of(new Patch.Put(List.of(new Prop.Key("title")), ScalarValue.of("hello"), false)), patches);
    assertSame(patches, heard.patches(), "computed once");
    assertEquals(heard, DocChange.diffedOnDemand(hb, heard.before(), heard.after(), heard.peer()));
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
  void whenPeerConnectedCompletesForAPeerThatConnectsLaterAndFailsWhenTheRepoCloses() {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    Repo a = repo("a", link.left());
    CompletableFuture<PeerId> b = a.whenPeerConnected(PeerId.of("b")::equals);
    CompletableFuture<PeerId> never = a.whenPeerConnected(PeerId.of("nobody")::equals);
    repo("b", link.right());
    assertEquals(PeerId.of("b"), await("a sees b", b));
    assertEquals(PeerId.of("b"), await("a peer already connected", a.whenPeerConnected()));
    assertFalse(never.isDone(), "only b connected");
    a.close();
    awaitFailure("the wait ends with the repo", IllegalStateException.class, never);
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
