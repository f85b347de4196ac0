package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer's arrival and departure cost the repo work for the documents that peer talks about, not
 * for every document it holds: a server with thousands of documents open and thousands of clients
 * used to queue a task on every handle for every connection and every disconnection. Each test
 * counts the tasks the repo hands its executor (direct, so everything runs on the test's thread)
 * and checks the conversations left behind against a plain model of who spoke about what.
 */
class PeerDepartureTest {
  private static final PeerId SELF = PeerId.of("self");
  private static final int DOCUMENTS = 200;
  private static final Bytes EMPTY_SYNC = Bytes.wrap(Sync.generateSyncMessage(Document.create(), new SyncState())
      .orElseThrow().encode());

  /**
   * The executor every handle's queue runs on: counts each task and runs it at once, or, while
   * {@code held}, keeps it until the test runs it (so a message queued before a departure can run
   * after it).
   */
  private static final class Tasks implements Executor {
    final AtomicInteger count = new AtomicInteger();
    final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
    boolean held;

    @Override
    public void execute(Runnable task) {
      count.incrementAndGet();
      if (held) {
        waiting.add(task);
      } else {
        task.run();
      }
    }

    /** Runs the first waiting task (which may queue more); false if none waits. */
    boolean runOne() {
      Runnable next = waiting.poll();
      if (next == null) {
        return false;
      }
      next.run();
      return true;
    }

    void drain() {
      while (runOne()) {
        // each task runs to its end
      }
    }
  }

  private record Setup(Repo repo, ScriptedNetworkAdapter net, Tasks tasks, List<DocumentId> ids) {
    /** Tasks handed to the executor while {@code action} ran. */
    int tasksDuring(Runnable action) {
      int before = tasks.count.get();
      action.run();
      return tasks.count.get() - before;
    }

    /** Runs what waits, then closes the repo (its close waits for a task on every handle, run at once). */
    void close() {
      tasks.drain();
      tasks.held = false;
      repo.close();
    }

    void request(PeerId from, DocumentId id) {
      net.listener.message(new RepoMessage.Request(from, SELF, id, EMPTY_SYNC));
    }

    /** The documents whose handle has {@code peer} in its conversation now. */
    Set<DocumentId> conversing(PeerId peer) {
      Set<DocumentId> out = new HashSet<>();
      for (DocumentId id : ids) {
        if (repo.handleInMemory(id).orElseThrow().peers().contains(peer)) {
          out.add(id);
        }
      }
      return out;
    }
  }

  private static Setup setup(SharePolicy policy) {
    return setup(policy, DOCUMENTS, false);
  }

  /** A repo of {@code documents} documents, whose tasks wait for the test if {@code held}. */
  private static Setup setup(SharePolicy policy, int documents, boolean held) {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    Tasks tasks = new Tasks();
    Repo repo = Repo.builder().peerId(SELF).storage(new InMemoryStorageAdapter()).network(net).sharePolicy(policy)
        .executor(tasks).syncDebounce(java.time.Duration.ZERO).build();
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      ids.add(repo.create().documentId());
    }
    tasks.held = held;
    return new Setup(repo, net, tasks, ids);
  }

  @Test
  void aPeerThatSharesNothingCostsNoTaskToConnectAndOneTaskPerDocumentItSpokeAboutToLeave() {
    Setup s = setup(SharePolicy.NEVER);
    PeerId p = PeerId.of("p");
    assertEquals(0, s.tasksDuring(() -> s.net.connected(p)), "connecting a peer the policy shares nothing with");
    Set<DocumentId> spoken = Set.of(s.ids.get(7), s.ids.get(150), s.ids.get(199));
    for (DocumentId id : spoken) {
      s.request(p, id);
    }
    assertEquals(spoken, s.conversing(p));
    assertEquals(spoken.size(), s.tasksDuring(() -> s.net.listener.peerDisconnected(p)),
        "one endSync per document the peer spoke about");
    assertEquals(Set.of(), s.conversing(p));
    assertEquals(0, s.repo.conversations().handlesOf(p), "nothing kept for a departed peer");
    s.close();
  }

  @Test
  void aPeerTheRepoSharesEverythingWithIsToldOfEveryDocumentAndLeavesEach() {
    Setup s = setup(SharePolicy.ALWAYS);
    PeerId p = PeerId.of("p");
    assertEquals(DOCUMENTS, s.tasksDuring(() -> s.net.connected(p)), "one beginSync per shared document");
    assertEquals(Set.copyOf(s.ids), s.conversing(p));
    assertEquals(DOCUMENTS, s.tasksDuring(() -> s.net.listener.peerDisconnected(p)));
    assertEquals(Set.of(), s.conversing(p));
    assertEquals(0, s.repo.conversations().handlesOf(p));
    s.close();
  }

  @Test
  void aReconnectionEndsThePeersOldConversationsOnly() {
    Setup s = setup(SharePolicy.NEVER);
    PeerId p = PeerId.of("p");
    PeerId q = PeerId.of("q");
    s.net.connected(p, q);
    s.request(p, s.ids.get(1));
    s.request(q, s.ids.get(1));
    s.request(q, s.ids.get(2));
    assertEquals(1, s.tasksDuring(() -> s.net.connected(p)), "the reconnection ends p's one conversation");
    assertEquals(Set.of(), s.conversing(p));
    assertEquals(Set.of(s.ids.get(1), s.ids.get(2)), s.conversing(q), "q's conversations go on");
    s.request(p, s.ids.get(3));
    assertEquals(Set.of(s.ids.get(3)), s.conversing(p));
    s.close();
  }

  /**
   * A peer asking about documents the repo lacks is let go of the oldest beyond its cap
   * ({@link RepoBuilder#maxMissingDocumentsPerPeer}); the handles let go leave its conversations, so
   * what the repo keeps for a connected peer stays within the cap however many it asks about.
   */
  @Test
  void documentsLetGoLeaveThePeersConversations() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    Repo repo = Repo.builder().peerId(SELF).storage(new InMemoryStorageAdapter()).network(net)
        .sharePolicy(SharePolicy.NEVER).executor(Runnable::run).maxMissingDocumentsPerPeer(4).build();
    PeerId p = PeerId.of("p");
    net.connected(p);
    for (int i = 0; i < 50; i++) {
      net.listener.message(new RepoMessage.Request(p, SELF, DocumentId.random(), EMPTY_SYNC));
      assertEquals(Math.min(i + 1, 4), repo.conversations().handlesOf(p), "after request " + i);
    }
    net.listener.peerDisconnected(p);
    assertEquals(0, repo.conversations().handlesOf(p));
    assertEquals(0, repo.missingDocumentCount());
    repo.close();
  }

  @Test
  void aMessageStillQueuedWhenItsPeerLeavesDoesNotKeepThePeer() {
    Setup s = setup(SharePolicy.NEVER, 20, true);
    PeerId p = PeerId.of("p");
    s.net.connected(p);
    s.request(p, s.ids.get(3));
    s.net.listener.peerDisconnected(p); // before the request's task ran
    s.tasks().drain();
    assertEquals(Set.of(), s.conversing(p));
    assertEquals(0, s.repo.conversations().handlesOf(p));
    s.close();
  }

  @Test
  void aMessageStillQueuedWhenItsPeerReconnectsBelongsToTheOldConnection() {
    Setup s = setup(SharePolicy.NEVER, 20, true);
    PeerId p = PeerId.of("p");
    s.net.connected(p);
    s.request(p, s.ids.get(3));
    s.net.connected(p); // reconnects before the request's task ran: nobody on the old connection to answer
    s.tasks().drain();
    assertEquals(Set.of(), s.conversing(p));
    s.request(p, s.ids.get(4));
    s.tasks().drain();
    assertEquals(Set.of(s.ids.get(4)), s.conversing(p));
    s.net.listener.peerDisconnected(p);
    s.tasks().drain();
    assertEquals(Set.of(), s.conversing(p));
    assertEquals(0, s.repo.conversations().handlesOf(p));
    s.close();
  }

  /**
   * Connections, requests, reconnections and departures of a few peers with the handles' tasks run
   * at random moments in between: once every task has run, each peer is in the conversations of
   * exactly the documents it asked about on its current connection (none once it left), and the
   * repo keeps nothing more for it.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void queuedTasksRunAtRandomMomentsLeaveExactlyTheCurrentConnectionsConversations(long seed) {
    Random rnd = new Random(seed);
    Setup s = setup(SharePolicy.NEVER, 20, true);
    List<PeerId> peers = List.of(PeerId.of("a"), PeerId.of("b"), PeerId.of("c"));
    java.util.Map<PeerId, Set<DocumentId>> model = new java.util.HashMap<>();
    for (int step = 0; step < 1_000; step++) {
      PeerId p = peers.get(rnd.nextInt(peers.size()));
      int action = rnd.nextInt(12);
      if (!model.containsKey(p) || action == 0) {
        s.net.connected(p);
        model.put(p, new HashSet<>());
      } else if (action == 1) {
        s.net.listener.peerDisconnected(p);
        model.remove(p);
      } else if (action < 6) {
        DocumentId id = s.ids.get(rnd.nextInt(s.ids.size()));
        s.request(p, id);
        model.get(p).add(id);
      } else {
        for (int i = rnd.nextInt(4); i > 0 && s.tasks().runOne(); i--) {
          // a few tasks run now
        }
      }
      if (rnd.nextInt(50) == 0 || step == 999) {
        s.tasks().drain();
        for (PeerId q : peers) {
          String context = "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + "), step " + step + ": " + q;
          Set<DocumentId> expected = model.getOrDefault(q, Set.of());
          assertEquals(expected, s.conversing(q), context);
          assertEquals(expected.size(), s.repo.conversations().handlesOf(q), context);
        }
      }
    }
    s.close();
  }

  /**
   * Random connections, requests, reconnections and departures of a few peers over the documents,
   * checked after every step against a model: each peer is in the conversations of the documents it
   * requested since it last connected, and a departure queues exactly one task per such document.
   */
  /** Seeds: LOAM_TEST_SEED for one, else 0 to 4. */
  private static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null && !one.isBlank() ? LongStream.of(Long.parseLong(one.trim())) : LongStream.range(0, 5);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomArrivalsAndDeparturesMatchAModel(long seed) {
    Random rnd = new Random(seed);
    Setup s = setup(SharePolicy.NEVER);
    List<PeerId> peers = List.of(PeerId.of("a"), PeerId.of("b"), PeerId.of("c"), PeerId.of("d"));
    java.util.Map<PeerId, Set<DocumentId>> model = new java.util.HashMap<>();
    for (int step = 0; step < 2_000; step++) {
      PeerId p = peers.get(rnd.nextInt(peers.size()));
      Set<DocumentId> spoken = model.get(p);
      int action = rnd.nextInt(10);
      String what;
      if (spoken == null || action == 0) {
        what = "connect";
        int expected = spoken == null ? 0 : spoken.size();
        assertEquals(expected, s.tasksDuring(() -> s.net.connected(p)), "seed " + seed + ", step " + step + ": " + what);
        model.put(p, new HashSet<>());
      } else if (action == 1) {
        what = "disconnect";
        assertEquals(spoken.size(), s.tasksDuring(() -> s.net.listener.peerDisconnected(p)),
            "seed " + seed + ", step " + step + ": " + what);
        model.remove(p);
      } else {
        DocumentId id = s.ids.get(rnd.nextInt(DOCUMENTS));
        what = "request " + id;
        s.request(p, id);
        spoken.add(id);
      }
      for (PeerId q : peers) {
        String context = "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + "), step " + step + " (" + what + "): " + q;
        Set<DocumentId> expected = model.getOrDefault(q, Set.of());
        assertEquals(expected, s.conversing(q), context);
        assertEquals(expected.size(), s.repo.conversations().handlesOf(q), context);
      }
    }
    s.close();
  }
}
