package dev.loam.peer;

import static dev.loam.peer.PeerTesting.append;
import static dev.loam.peer.PeerTesting.await;
import static dev.loam.peer.PeerTesting.awaitPeer;
import static dev.loam.peer.PeerTesting.events;
import static dev.loam.peer.PeerTesting.peer;
import static dev.loam.peer.PeerTesting.whenRepoHas;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.repo.DocHandle;
import dev.loam.repo.SharePolicy;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Three repos in a line A – B – C over real WebSockets on loopback, no server: A and C dial B, which
 * only listens. Documents cross B both ways, as between automerge-repo peers.
 */
class LineOfThreePeersTest {

  @Test
  void aDocumentCreatedAtOneEndIsAnnouncedThroughTheMiddleAndEditsFlowBack() {
    try (LoamPeer b = peer("b", events()).build();
        LoamPeer a = peer("a", events()).connect(uri(b)).build();
        LoamPeer c = peer("c", events()).connect(uri(b)).build()) {
      awaitPeer(b.repo(), "a");
      awaitPeer(b.repo(), "c");
      DocHandle atA = a.repo().create();
      var cHasIt = whenRepoHas(c.repo(), atA); // before the first change, so no announcement is missed
      append(atA, "from a");
      // c never asks: b announces the document to c once a has announced it to b (share policy ALWAYS)
      DocHandle atC = await("c receives a's document through b", cHasIt);
      append(atC, "from c");
      await("a receives c's edit through b", whenRepoHas(a.repo(), atC));
      assertEquals("{\"items\":[\"from a\",\"from c\"]}", atA.toJson());
      assertEquals(atA.toJson(), atC.toJson());
      assertEquals(atA.toJson(), b.repo().find(atA.documentId()).toJson());
    }
  }

  @Test
  void aMiddlePeerThatAnnouncesNothingStillAnswersRequestsForDocumentsItRelays() {
    try (LoamPeer b = LoamPeer.builder(dev.loam.repo.Repo.builder().peerId(dev.loam.repo.id.PeerId.of("b"))
            .storage(new dev.loam.repo.storage.InMemoryStorageAdapter()).sharePolicy(SharePolicy.NEVER)
            .syncDebounce(java.time.Duration.ofMillis(5))).host("127.0.0.1").build();
        LoamPeer a = peer("a", events()).connect(uri(b)).build();
        LoamPeer c = peer("c", events()).connect(uri(b)).build()) {
      awaitPeer(b.repo(), "a");
      awaitPeer(b.repo(), "c");
      DocHandle atA = a.repo().create();
      var bHasIt = whenRepoHas(b.repo(), atA);
      append(atA, "kept by b");
      await("b stores a's document (a announces to b)", bHasIt);
      // as automerge-repo's sync server: b announced nothing to c, but answers c's request
      DocHandle atC = await("c finds it by id through b", c.repo().find(atA.documentId()).whenReady());
      assertEquals(atA.heads(), atC.heads());
      assertEquals("{\"items\":[\"kept by b\"]}", atC.toJson());
    }
  }

  private static URI uri(LoamPeer p) {
    return URI.create("ws://127.0.0.1:" + p.port());
  }
}
