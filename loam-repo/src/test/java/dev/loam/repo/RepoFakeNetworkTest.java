package dev.loam.repo;

import dev.loam.repo.testing.FakeNetwork;
import dev.loam.repo.testing.FakeNetworkAdapter;
import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.sync.SyncMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Repos on one thread (a direct executor, no debounce) over the seeded {@link FakeNetwork}: every
 * run with a seed replays exactly, including lost, reordered and duplicated messages.
 */
class RepoFakeNetworkTest {
  private static Repo repo(String name, StorageAdapter storage, NetworkAdapter net) {
    return Repo.builder().peerId(PeerId.of(name)).storage(storage).network(net)
        .executor(Runnable::run).syncDebounce(Duration.ZERO).unavailableTimeout(Duration.ZERO).build();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void threeReposConvergeAfterLossReorderAndDuplicationOnceTheNetworkRecovers(long seed) {
    FakeNetwork net = FakeNetwork.builder(seed).dropRate(0.2).duplicateRate(0.1).reorder(true).build();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    List<Repo> repos = List.of(
        repo("a", new InMemoryStorageAdapter(), hub.adapter()),
        repo("b", new InMemoryStorageAdapter(), hub.adapter()),
        repo("c", new InMemoryStorageAdapter(), hub.adapter()));
    Random random = new Random(seed);
    DocHandle origin = repos.getFirst().create();
    origin.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
    net.settle(); // let every repo get the document reliably first
    net.deliverAll(10_000);
    List<DocHandle> handles = new ArrayList<>();
    for (Repo r : repos) {
      handles.add(r.find(origin.documentId()));
    }
    net.deliverAll(10_000);
    handles.forEach(h -> assertTrue(h.isReady(), h + " ready"));

    FakeNetwork chaos = net;
    chaos.disturb(0.2, 0.1, true); // now lose, reorder and duplicate while everyone edits
    int edits = 0;
    for (int round = 0; round < 40; round++) {
      DocHandle h = handles.get(random.nextInt(handles.size()));
      append(h, "edit " + round);
      edits++;
      chaos.deliverAll(random.nextInt(5));
    }
    hub.cycle(); // as if every connection dropped and came back
    chaos.settle();
    chaos.deliverAll(100_000);
    assertEquals(0, chaos.inFlight(), "the repos went quiet");
    for (DocHandle h : handles) {
      assertEquals(origin.heads(), h.heads(), h + " has every change");
      assertEquals(origin.toJson(), h.toJson());
    }
    assertEquals(edits, items(origin));
  }

  @Test
  void aChangeIsInStorageBeforeAnySyncMessageWhoseHeadsIncludeItIsSent() {
    FakeNetwork net = FakeNetwork.reliable();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    InMemoryStorageAdapter storageA = new InMemoryStorageAdapter();
    InMemoryStorageAdapter storageB = new InMemoryStorageAdapter();
    List<String> checked = new ArrayList<>();
    Repo a = repo("a", storageA, new DurabilityCheck(hub.adapter(), storageA, checked));
    Repo b = repo("b", storageB, new DurabilityCheck(hub.adapter(), storageB, checked));
    DocHandle ha = a.create();
    net.deliverAll(1000);
    DocHandle hb = b.find(ha.documentId());
    net.deliverAll(1000);
    for (int i = 0; i < 10; i++) {
      append(ha, "a" + i);
      append(hb, "b" + i);
      net.deliverAll(1000);
    }
    assertEquals(ha.heads(), hb.heads());
    assertTrue(checked.size() > 20, "checked " + checked.size() + " messages");
  }

  @Test
  void aChangeWaitingForItsDebouncedSaveIsStoredBeforeAReplyOrAnnouncementNamesIt() {
    FakeNetwork net = FakeNetwork.reliable();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    InMemoryStorageAdapter storageA = new InMemoryStorageAdapter();
    InMemoryStorageAdapter storageB = new InMemoryStorageAdapter();
    List<String> checked = new ArrayList<>();
    // the debounced flush never fires during the test: only replies and announcements carry changes
    Repo a = Repo.builder().peerId(PeerId.of("a")).storage(storageA).network(new DurabilityCheck(hub.adapter(), storageA, checked))
        .executor(Runnable::run).syncDebounce(Duration.ofHours(1)).build();
    Repo b = Repo.builder().peerId(PeerId.of("b")).storage(storageB).network(new DurabilityCheck(hub.adapter(), storageB, checked))
        .executor(Runnable::run).syncDebounce(Duration.ofHours(1)).build();
    DocHandle ha = a.create();
    net.deliverAll(1000);
    DocHandle hb = b.find(ha.documentId());
    net.deliverAll(1000);
    append(ha, "a synced"); // the first change of each goes out at once and opens the hour's window
    append(hb, "b synced");
    net.deliverAll(1000);
    append(ha, "a unsaved");
    append(hb, "b unsaved");
    hub.cycle(); // reconnect: both announce heads that include the unsaved changes
    net.deliverAll(1000);
    assertEquals(ha.heads(), hb.heads());
    assertTrue(checked.size() >= 4, "checked " + checked.size() + " messages");
  }

  @Test
  void aLoneChangeGoesOutAtOnceAndABurstWithinTheWindowGoesOutTogetherWhenItEnds() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    try {
      FakeNetwork net = FakeNetwork.reliable();
      FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
      Repo a = Repo.builder().peerId(PeerId.of("a")).storage(new InMemoryStorageAdapter()).network(hub.adapter())
          .executor(Runnable::run).timer(timer).syncDebounce(Duration.ofHours(1)).build();
      Repo b = repo("b", new InMemoryStorageAdapter(), hub.adapter());
      DocHandle ha = a.create();
      net.deliverAll(1000);
      DocHandle hb = b.find(ha.documentId());
      net.deliverAll(1000);
      int timers = timer.getQueue().size();

      append(ha, "lone");
      net.deliverAll(1000);
      assertEquals(1, items(hb), "the first change of a window does not wait for the window");
      assertEquals(timers, timer.getQueue().size());

      long before = net.delivered();
      append(ha, "burst 1");
      append(ha, "burst 2");
      append(ha, "burst 3");
      net.deliverAll(1000);
      assertEquals(1, items(hb), "changes within the window wait for its end");
      assertEquals(before, net.delivered());
      assertEquals(timers + 1, timer.getQueue().size(), "one flush waits, whatever the number of changes");

      Runnable windowEnds = (Runnable) timer.getQueue().stream()
          .filter(t -> ((java.util.concurrent.Delayed) t).getDelay(TimeUnit.MINUTES) >= 59).findFirst().orElseThrow();
      timer.remove(windowEnds);
      windowEnds.run();
      assertEquals(1, net.inFlight(), "the burst goes out as one message");
      net.deliverAll(1000);
      assertEquals(4, items(hb));
      assertEquals(ha.heads(), hb.heads());
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void whenPeerHasCompletesOnceThePeersReportedHeadsCoverTheGivenOnes() {
    FakeNetwork net = FakeNetwork.reliable();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    Repo a = repo("a", new InMemoryStorageAdapter(), hub.adapter());
    Repo b = repo("b", new InMemoryStorageAdapter(), hub.adapter());
    PeerId atB = PeerId.of("b");
    DocHandle ha = a.create();
    net.deliverAll(1000);
    DocHandle hb = b.find(ha.documentId());
    net.deliverAll(1000);
    append(ha, "first");
    dev.loam.Heads first = ha.heads();
    append(ha, "second");
    var hasSecond = ha.whenPeerHas(atB, ha.heads());
    var synced = ha.whenSyncedWith(atB);
    assertTrue(!hasSecond.isDone() && !synced.isDone(), "nothing delivered yet");
    net.deliverAll(1000);
    assertEquals(ha.heads(), hasSecond.getNow(null), "b reports our heads");
    assertEquals(ha.heads(), synced.getNow(null));
    assertTrue(!hb.heads().contains(first.hashes().getFirst()));
    assertEquals(ha.heads(), ha.whenPeerHas(atB, first).getNow(null), "older heads are covered by their descendants");
    SyncCounts counts = ha.syncCounts(atB);
    assertTrue(counts.changesSent() >= 2 && counts.messagesReceived() > 0, counts.toString());

    // a change b makes and a never hears of: the network goes quiet, and a's wait is still open
    net.partition(PeerId.of("a"), atB);
    append(hb, "only at b");
    var hasOnlyAtB = hb.whenPeerHas(PeerId.of("a"), hb.heads());
    net.deliverAll(1000);
    assertEquals(0, net.inFlight());
    assertTrue(!hasOnlyAtB.isDone(), "a never reported b's change");
    net.heal();
    hub.cycle();
    net.deliverAll(1000);
    assertEquals(hb.heads(), hasOnlyAtB.getNow(null));
    assertEquals(ha.heads(), hb.heads());
  }

  @Test
  void syncStatesOfPersistentPeersAreKeptUnderTheirStorageId() {
    FakeNetwork net = FakeNetwork.reliable();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    InMemoryStorageAdapter storageA = new InMemoryStorageAdapter();
    Repo a = repo("a", storageA, hub.adapter());
    Repo b = repo("b", new InMemoryStorageAdapter(), hub.adapter());
    Repo ephemeral = Repo.builder().peerId(PeerId.of("e")).network(hub.adapter()).executor(Runnable::run)
        .syncDebounce(Duration.ZERO).unavailableTimeout(Duration.ZERO).build();
    DocHandle ha = a.create();
    append(ha, "x");
    net.deliverAll(1000);
    b.find(ha.documentId());
    ephemeral.find(ha.documentId());
    net.deliverAll(1000);
    StorageKey syncStates = StorageKey.of(ha.documentId().toString(), "sync-state");
    List<String> keptFor = storageA.loadRange(syncStates).stream().map(c -> c.key().get(2)).toList();
    assertEquals(List.of(b.storageId().orElseThrow().value()), keptFor, "b's storage only, never the ephemeral peer");
  }

  @Test
  void aRequestForADocumentNobodyHasIsAnsweredWithSyncThenDocUnavailable() {
    FakeNetwork net = FakeNetwork.reliable();
    FakeNetworkAdapter.Hub hub = new FakeNetworkAdapter.Hub(net);
    Repo server = Repo.builder().peerId(PeerId.of("server")).storage(new InMemoryStorageAdapter())
        .sharePolicy(dev.loam.repo.SharePolicy.NEVER).network(hub.adapter()).executor(Runnable::run)
        .syncDebounce(Duration.ZERO).unavailableTimeout(Duration.ZERO).build();
    List<String> seen = new ArrayList<>();
    FakeNetwork.Endpoint client = net.join(PeerId.of("client"), m -> seen.add(m.type()));
    hubPeer(hub, server, PeerId.of("client"));
    DocumentId missing = DocumentId.random();
    Document empty = Document.create();
    dev.loam.sync.SyncState state = new dev.loam.sync.SyncState();
    byte[] first = dev.loam.sync.Sync.generateSyncMessage(empty, state).orElseThrow().encode();
    client.send(new RepoMessage.Request(PeerId.of("client"), PeerId.of("server"), missing, dev.loam.Bytes.of(first)));
    net.deliverAll(100);
    assertEquals(List.of("sync", "doc-unavailable"), seen, "as the official sync server answers");
    assertEquals(DocHandle.State.UNAVAILABLE, server.find(missing).state());
  }

  /** Tells {@code server}'s hub adapter that a raw endpoint {@code peer} connected. */
  private static void hubPeer(FakeNetworkAdapter.Hub hub, Repo server, PeerId peer) {
    hub.announce(peer, PeerMetadata.EPHEMERAL);
  }

  /** Fails the test if a sync message names heads whose changes the sender's storage lacks. */
  private static final class DurabilityCheck implements NetworkAdapter {
    private final NetworkAdapter inner;
    private final StorageAdapter storage;
    private final List<String> checked;

    DurabilityCheck(NetworkAdapter inner, StorageAdapter storage, List<String> checked) {
      this.inner = inner;
      this.storage = storage;
      this.checked = checked;
    }

    @Override public void connect(PeerId self, PeerMetadata metadata, Listener listener) { inner.connect(self, metadata, listener); }

    @Override public void send(RepoMessage message) {
      if (message instanceof RepoMessage.Sync s) {
        SyncMessage m = SyncMessage.decode(s.data().toByteArray());
        Document stored = new StorageSubsystem(storage).loadDoc(s.documentId()).orElse(Document.create());
        for (ChangeHash h : m.heads()) {
          if (stored.change(h).isEmpty()) {
            fail(s.senderId() + " sent heads including " + h + " before storing it");
          }
        }
        checked.add(s.documentId().toString());
      }
      inner.send(message);
    }

    @Override public void close() { inner.close(); }
  }
}
