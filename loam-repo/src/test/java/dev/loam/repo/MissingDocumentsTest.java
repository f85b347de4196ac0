package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Peers asking about documents a repo does not have cannot make it keep handles without bound: a
 * handle opened for a peer's {@code request} or {@code sync} about a missing document is kept while
 * a connected peer waits for it, each peer keeps at most {@link RepoBuilder#maxMissingDocumentsPerPeer}
 * (its oldest let go), and none outlives its peers. Every request is still answered
 * ({@code doc-unavailable}, as automerge-repo's JS clients expect), a document that arrives later
 * reaches the peers still waiting and anyone asking again, and a handle found locally or made
 * ready is kept as any other. Everything runs on the test's thread (direct executor, a scripted
 * adapter), so what the repo holds is checked after each message against a plain model.
 */
class MissingDocumentsTest {
  private static final PeerId SELF = PeerId.of("self");
  private static final PeerId X = PeerId.of("x");
  private static final PeerId Y = PeerId.of("y");
  private static final Bytes EMPTY_SYNC = Bytes.wrap(Sync.generateSyncMessage(Document.create(), new SyncState())
      .orElseThrow().encode());

  private static Repo repo(ScriptedNetworkAdapter net, SharePolicy policy, int maxPerPeer) {
    return Repo.builder().peerId(SELF).storage(new InMemoryStorageAdapter()).network(net).sharePolicy(policy)
        .executor(Runnable::run).syncDebounce(java.time.Duration.ZERO).maxMissingDocumentsPerPeer(maxPerPeer).build();
  }

  private static RepoMessage.Request request(PeerId from, DocumentId id) {
    return new RepoMessage.Request(from, SELF, id, EMPTY_SYNC);
  }

  /**
   * Plays {@code peer} holding {@code doc} in a conversation about {@code id}: answers each sync
   * message the repo sent it until the repo has nothing more to say. Returns how many it answered.
   */
  private static int converse(ScriptedNetworkAdapter net, PeerId peer, DocumentId id, Document doc, SyncState state) {
    int answered = 0;
    for (List<RepoMessage.DocMessage> in = net.take(peer, id); !in.isEmpty(); in = net.take(peer, id)) {
      for (RepoMessage.DocMessage m : in) {
        Bytes data = switch (m) {
          case RepoMessage.Sync s -> s.data();
          case RepoMessage.Request r -> r.data();
          case RepoMessage.DocUnavailable u -> null;
          case RepoMessage.Ephemeral e -> null;
          case RepoMessage.RemoteHeadsChanged r -> null;
        };
        if (data == null) {
          continue;
        }
        answered++;
        Sync.receiveSyncMessage(doc, state, data.toByteArray());
        Optional<dev.loam.sync.SyncMessage> reply = Sync.generateSyncMessage(doc, state);
        if (reply.isPresent()) {
          net.listener.message(new RepoMessage.Sync(peer, SELF, id, Bytes.wrap(reply.get().encode())));
        }
      }
    }
    return answered;
  }

  private static Document someDocument(String text) {
    Document d = Document.create();
    d.put(ObjId.ROOT, "text", ScalarValue.of(text));
    d.commit();
    return d;
  }

  /** Has {@code peer} send the repo {@code doc} under {@code id} until the repo holds it. */
  private static void bring(ScriptedNetworkAdapter net, PeerId peer, DocumentId id, Document doc) {
    SyncState state = new SyncState();
    net.listener.message(new RepoMessage.Sync(peer, SELF, id,
        Bytes.wrap(Sync.generateSyncMessage(doc, state).orElseThrow().encode())));
    converse(net, peer, id, doc, state);
  }

  static Stream<Long> seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? Stream.of(Long.parseLong(one))
        : LongStream.range(0, Math.min(20, Long.getLong("loam.seeds", 20))).boxed();
  }

  /**
   * Three peers send requests and empty syncs about fresh and repeated ids, and disconnect and
   * come back, at random; after each step the repo holds exactly the documents the model says:
   * those some connected peer still waits for, each peer waiting for its newest ones, up to the cap.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void theHandlesKeptAreThoseConnectedPeersStillWaitFor(long seed) {
    int cap = 8;
    Random random = new Random(seed);
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    List<PeerId> peers = List.of(X, Y, PeerId.of("z"));
    Map<PeerId, LinkedHashSet<DocumentId>> model = new HashMap<>();
    List<DocumentId> asked = new ArrayList<>();
    try (Repo repo = repo(net, SharePolicy.NEVER, cap)) {
      for (PeerId p : peers) {
        net.listener.peerCandidate(p, PeerMetadata.EPHEMERAL);
        model.put(p, new LinkedHashSet<>());
      }
      for (int step = 0; step < 400; step++) {
        PeerId p = peers.get(random.nextInt(peers.size()));
        int what = random.nextInt(20);
        String context = "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + "), step " + step;
        if (what == 0) { // disconnect, or come back
          if (model.containsKey(p)) {
            net.listener.peerDisconnected(p);
            model.remove(p);
          } else {
            net.listener.peerCandidate(p, PeerMetadata.EPHEMERAL);
            model.put(p, new LinkedHashSet<>());
          }
          net.sent.clear();
        } else if (model.containsKey(p)) {
          boolean fresh = asked.isEmpty() || random.nextInt(3) == 0;
          DocumentId id = fresh ? DocumentId.random(random) : asked.get(random.nextInt(asked.size()));
          asked.add(id);
          boolean isRequest = what % 4 != 0;
          net.listener.message(isRequest ? request(p, id) : new RepoMessage.Sync(p, SELF, id, EMPTY_SYNC));
          List<RepoMessage.DocMessage> answer = net.take(p, id);
          if (isRequest && fresh) { // answered doc-unavailable: nobody has it (and nobody else was asked)
            assertFalse(answer.isEmpty(), context);
            assertInstanceOf(RepoMessage.DocUnavailable.class, answer.getLast(), context);
          }
          LinkedHashSet<DocumentId> waits = model.get(p);
          waits.remove(id);
          waits.add(id);
          if (waits.size() > cap) {
            waits.remove(waits.getFirst());
          }
        }
        Set<DocumentId> expected = new HashSet<>();
        model.values().forEach(expected::addAll);
        assertEquals(expected, repo.documentIds(), context);
        assertEquals(expected.size(), repo.missingDocumentCount(), context);
      }
      for (PeerId p : List.copyOf(model.keySet())) {
        net.listener.peerDisconnected(p);
      }
      assertEquals(Set.of(), repo.documentIds(), "seed " + seed + ": every peer gone");
      assertEquals(0, repo.missingDocumentCount());
    }
  }

  @Test
  void thousandsOfRandomIdsLeaveAtMostTheCapAndEveryRequestIsAnswered() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    Random random = new Random(15);
    try (Repo repo = repo(net, SharePolicy.NEVER, 100)) {
      net.connected(X);
      List<DocumentId> ids = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        DocumentId id = DocumentId.random(random);
        ids.add(id);
        net.listener.message(request(X, id));
      }
      long unavailable = net.sent.stream().filter(m -> m instanceof RepoMessage.DocUnavailable).count();
      assertEquals(10_000, unavailable, "each request is answered doc-unavailable");
      assertEquals(Set.copyOf(ids.subList(ids.size() - 100, ids.size())), repo.documentIds(), "the newest 100 are kept");
      net.listener.peerDisconnected(X);
      assertEquals(Set.of(), repo.documentIds());
    }
  }

  @Test
  void aDocumentThatArrivesLaterReachesThePeerStillWaitingAndOneThatAsksAgain() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.NEVER, 2)) {
      net.connected(X, Y);
      DocumentId early = DocumentId.random();
      DocumentId kept = DocumentId.random();
      DocumentId last = DocumentId.random();
      for (DocumentId id : List.of(early, kept, last)) {
        net.listener.message(request(X, id));
        assertInstanceOf(RepoMessage.DocUnavailable.class, net.take(X, id).getLast());
      }
      assertEquals(Set.of(kept, last), repo.documentIds(), "x waits for its newest two; it let go of the first");

      // y brings both documents later
      Document keptDoc = someDocument("kept");
      Document earlyDoc = someDocument("early");
      bring(net, Y, kept, keptDoc);
      bring(net, Y, early, earlyDoc);
      assertEquals(Set.of(kept, last, early), repo.documentIds());
      assertEquals(1, repo.missingDocumentCount(), "only the last is still missing");

      // X, still waiting for one, is sent it without asking again; of the other it hears nothing
      Document atX = Document.create();
      assertTrue(converse(net, X, kept, atX, new SyncState()) > 0, "x was sent the document it waits for");
      assertEquals(keptDoc.heads(), atX.heads());
      assertEquals(List.of(), net.take(X, early), "x let go of the first: it is told nothing of it");
      // asking again works
      Document again = Document.create();
      SyncState state = new SyncState();
      net.listener.message(new RepoMessage.Request(X, SELF, early,
          Bytes.wrap(Sync.generateSyncMessage(again, state).orElseThrow().encode())));
      converse(net, X, early, again, state);
      assertEquals(earlyDoc.heads(), again.heads());

      // documents are kept as any other once here, whoever leaves
      net.listener.peerDisconnected(X);
      net.listener.peerDisconnected(Y);
      assertEquals(Set.of(kept, early), repo.documentIds());
      assertEquals(0, repo.missingDocumentCount());
    }
  }

  @Test
  void aDocumentOnlyAnotherPeerHasIsFetchedThroughTheSharePolicyAndKept() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.ALWAYS, 1)) {
      net.connected(X, Y);
      DocumentId id = DocumentId.random();
      Document atY = someDocument("only y has it");
      net.listener.message(request(X, id));
      // the repo asks y (it announces to every peer); y answers with the document
      assertInstanceOf(RepoMessage.Request.class, net.take(Y, id).getFirst());
      SyncState yState = new SyncState();
      net.listener.message(new RepoMessage.Sync(Y, SELF, id,
          Bytes.wrap(Sync.generateSyncMessage(atY, yState).orElseThrow().encode())));
      converse(net, Y, id, atY, yState);
      Document atX = Document.create();
      converse(net, X, id, atX, new SyncState());
      assertEquals(atY.heads(), atX.heads(), "x got the document y had");
      // x asks about more documents than its cap: the one it got is a document now, not a wait
      net.listener.message(request(X, DocumentId.random()));
      net.listener.message(request(X, DocumentId.random()));
      net.listener.peerDisconnected(X);
      net.listener.peerDisconnected(Y);
      assertEquals(Set.of(id), repo.documentIds());
    }
  }

  @Test
  void aMessageFromAPeerThatIsNotConnectedLeavesNothing() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.NEVER, 4)) {
      net.connected(X);
      net.listener.peerDisconnected(X);
      // a message the adapter hands over after reporting its sender gone, and one from a stranger
      net.listener.message(request(X, DocumentId.random()));
      net.listener.message(request(PeerId.of("stranger"), DocumentId.random()));
      assertEquals(Set.of(), repo.documentIds());
      assertEquals(0, repo.missingDocumentCount());
    }
  }

  @Test
  void aHandleFoundLocallyIsKeptAfterThePeersThatAskedForItLeave() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.NEVER, 4)) {
      net.connected(X);
      DocumentId wanted = DocumentId.random();
      DocumentId other = DocumentId.random();
      net.listener.message(request(X, wanted));
      net.listener.message(request(X, other));
      DocHandle mine = repo.find(wanted);
      assertEquals(1, repo.missingDocumentCount(), "the one found here is no longer a peer's wait");
      net.listener.peerDisconnected(X);
      assertEquals(Set.of(wanted), repo.documentIds());
      // and it still becomes ready when a peer brings it
      net.connected(Y);
      Document doc = someDocument("found");
      bring(net, Y, wanted, doc);
      assertEquals(DocHandle.State.READY, mine.state());
      assertEquals(doc.heads(), mine.heads());
    }
  }
}
