package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.ObjId;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.DocumentHook;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.SyncMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The seams later modules plug into, used through exported API only: a repo-wide change listener
 * (search), a per-document hook on stored and synced bytes (secure documents) and a consistent
 * storage copy (backup).
 *
 * <p>It lives in {@code loam-cli} because this module reads {@code dev.loam.repo} through plain
 * exports only ({@code dev.loam.repo.internal} is exported to the server and the testkit, not here):
 * compiled against the module path, it fails to compile if a seam is not public API.
 */
class RepoSeamsApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void aRepoWideListenerHearsEveryDocumentsLocalAndRemoteChangesWithPatches() throws Exception {
    Loopback wire = new Loopback();
    try (Repo a = Repo.builder().peerId(PeerId.of("a")).network(wire.left).build();
         Repo b = Repo.builder().peerId(PeerId.of("b")).network(wire.right).build()) {
      BlockingQueue<DocChange> heard = new LinkedBlockingQueue<>();
      b.addListener(new DocHandle.Listener() {
        @Override
        public void changed(DocChange change) {
          heard.add(change);
        }
      });
      DocHandle first = a.create();
      first.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("hello")));
      DocHandle second = a.create();

      DocHandle firstAtB = b.find(first.url()).whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      DocChange remote = awaitChange(heard, first.documentId(), first.heads());
      assertEquals(Optional.of(PeerId.of("a")), remote.peer(), "a change from a peer names the peer");
      assertTrue(remote.patches().stream().anyMatch(p -> p instanceof Patch.Put put
          && put.path().equals(List.of(new Prop.Key("title")))), "patches: " + remote.patches());
      b.find(second.url()).whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      awaitChange(heard, second.documentId(), second.heads()); // every document, not only the first

      Heads before = firstAtB.heads();
      firstAtB.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("edited at b")));
      DocChange local = awaitChange(heard, first.documentId(), firstAtB.heads());
      assertTrue(local.local());
      assertEquals(before, local.before());
    }
  }

  @Test
  void aDocumentHookSealsOneDocumentsChunksAndSyncMessagesAndLeavesOthersAlone() throws Exception {
    // which documents are sealed is a function of their id, fixed before any exists: a document
    // starts syncing the moment it is created, before a test could name it in a set
    Predicate<DocumentId> sealed = id -> (id.bytes().get(0) & 1) == 0;
    DocumentHook xor = new XorHook(sealed);
    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    Loopback wire = new Loopback();
    DocHandle secret;
    DocHandle open;
    try (Repo a = Repo.builder().peerId(PeerId.of("a")).storage(disk).network(wire.left).documentHook(xor).build();
         Repo b = Repo.builder().peerId(PeerId.of("b")).network(wire.right).documentHook(xor).build()) {
      DocHandle aSealed = null;
      DocHandle anOpen = null;
      while (aSealed == null || anOpen == null) { // one of each: two documents, on average three
        DocHandle h = a.create();
        if (sealed.test(h.documentId())) {
          aSealed = aSealed == null ? h : aSealed;
        } else {
          anOpen = anOpen == null ? h : anOpen;
        }
      }
      secret = aSealed;
      open = anOpen;
      for (DocHandle h : List.of(secret, open)) {
        h.change(tx -> tx.put(ObjId.ROOT, "text", ScalarValue.of("for " + h.documentId())));
      }
      a.flush();
      for (DocHandle h : List.of(secret, open)) {
        DocHandle there = b.find(h.url()).whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        awaitHeads(there, h.heads());
        assertEquals(h.toJson(), there.toJson());
      }
    }
    // on the wire: the sealed document's sync data is not a sync message, the other one's is
    assertFalse(wire.syncData(secret.documentId()).isEmpty());
    for (Bytes data : wire.syncData(secret.documentId())) {
      assertThrows(LoamException.class, () -> SyncMessage.decode(data.toByteArray()));
    }
    assertFalse(wire.syncData(open.documentId()).isEmpty());
    for (Bytes data : wire.syncData(open.documentId())) {
      assertNotNull(SyncMessage.decode(data.toByteArray()));
    }
    // in storage: the sealed document's chunks do not load as they are; the hook reads them back
    List<Chunk> secretChunks = disk.loadRange(StorageKey.of(secret.documentId().toString()));
    assertFalse(secretChunks.isEmpty());
    for (Chunk c : secretChunks) {
      if (!c.key().get(1).equals("sync-state")) {
        assertThrows(LoamException.class, () -> Document.load(c.data().toByteArray()));
      }
    }
    try (Repo again = Repo.builder().storage(disk).documentHook(xor).unavailableTimeout(Duration.ZERO).build()) {
      DocHandle back = again.find(secret.documentId()).whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(secret.heads(), back.heads());
    }
    try (Repo withoutHook = Repo.builder().storage(disk).unavailableTimeout(Duration.ZERO).build()) {
      assertEquals(open.heads(), withoutHook.find(open.documentId()).whenReady()
          .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).heads());
      DocHandle unreadable = withoutHook.find(secret.documentId());
      assertThrows(Exception.class, () -> unreadable.whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      assertEquals(DocHandle.State.UNAVAILABLE, unreadable.state());
    }
  }

  @Test
  void aBackupOpensAsTheSameStorageWithTheSameDocuments() throws Exception {
    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    InMemoryStorageAdapter copy = new InMemoryStorageAdapter();
    List<DocHandle> docs = new ArrayList<>();
    try (Repo a = Repo.builder().storage(disk).syncDebounce(Duration.ofHours(1)).build()) {
      for (int i = 0; i < 3; i++) {
        DocHandle h = a.create();
        int n = i;
        h.change(tx -> tx.put(ObjId.ROOT, "n", ScalarValue.of(n)));
        docs.add(h);
      }
      // the changes wait on a one-hour debounce: backup saves them before it copies
      a.backup(c -> copy.save(c.key(), c.data()));
      try (Repo restored = Repo.builder().storage(copy).unavailableTimeout(Duration.ZERO).build()) {
        assertEquals(a.storageId(), restored.storageId());
        for (DocHandle h : docs) {
          DocHandle back = restored.find(h.documentId()).whenReady().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
          assertEquals(h.heads(), back.heads());
          assertEquals(h.toJson(), back.toJson());
        }
      }
    }
    try (Repo ephemeral = Repo.builder().build()) {
      assertThrows(IllegalStateException.class, () -> ephemeral.backup(c -> { }));
    }
  }

  /** The change of {@code id} to {@code after}, heard before or within the patience; keeps the others in {@code heard}. */
  private static DocChange awaitChange(BlockingQueue<DocChange> heard, DocumentId id, Heads after)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    List<DocChange> others = new ArrayList<>();
    try {
      while (true) {
        DocChange c = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (c == null) {
          throw new AssertionError("no change of " + id + " to " + after + " was heard; heard " + others);
        }
        if (c.handle().documentId().equals(id) && c.after().equals(after)) {
          return c;
        }
        others.add(c);
      }
    } finally {
      heard.addAll(others);
    }
  }

  private static void awaitHeads(DocHandle h, Heads heads) throws InterruptedException {
    BlockingQueue<Heads> changes = new LinkedBlockingQueue<>();
    h.addListener(new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        changes.add(change.after());
      }
    });
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!h.heads().equals(heads)) {
      if (changes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) == null) {
        throw new AssertionError(h + " never reached " + heads + "; it has " + h.heads());
      }
    }
  }

  /** Seals the documents in {@code sealed} by flipping bits, checking a one-byte tag on the way back. */
  private record XorHook(Predicate<DocumentId> sealed) implements DocumentHook {
    private static final byte TAG = 0x7f;

    @Override
    public Bytes toStorage(DocumentId document, Bytes chunk) {
      return sealed.test(document) ? seal(chunk) : chunk;
    }

    @Override
    public Bytes fromStorage(DocumentId document, Bytes stored) {
      return sealed.test(document) ? unseal(stored) : stored;
    }

    @Override
    public Bytes toPeer(DocumentId document, PeerId peer, Bytes syncMessage) {
      return sealed.test(document) ? seal(syncMessage) : syncMessage;
    }

    @Override
    public Bytes fromPeer(DocumentId document, PeerId peer, Bytes data) {
      return sealed.test(document) ? unseal(data) : data;
    }

    private static Bytes seal(Bytes plain) {
      byte[] b = plain.toByteArray();
      byte[] out = new byte[b.length + 1];
      out[0] = TAG;
      for (int i = 0; i < b.length; i++) {
        out[i + 1] = (byte) (b[i] ^ 0x5a);
      }
      return Bytes.wrap(out);
    }

    private static Bytes unseal(Bytes sealedBytes) {
      byte[] b = sealedBytes.toByteArray();
      if (b.length == 0 || b[0] != TAG) {
        throw new StorageException("not sealed by this hook");
      }
      byte[] out = new byte[b.length - 1];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (b[i + 1] ^ 0x5a);
      }
      return Bytes.wrap(out);
    }
  }

  /**
   * Two network adapters joined in memory, each message crossing as its CBOR frame
   * ({@link RepoMessage#encode()}, {@link RepoMessage#decode}) on one delivery thread per side,
   * recording the data of every sync and request message per document.
   */
  private static final class Loopback {
    final End left = new End();
    final End right = new End();
    final Map<DocumentId, List<Bytes>> data = new ConcurrentHashMap<>();

    Loopback() {
      left.other = right;
      right.other = left;
    }

    List<Bytes> syncData(DocumentId id) {
      return data.getOrDefault(id, List.of());
    }

    final class End implements NetworkAdapter {
      private final ExecutorService delivery = Executors.newSingleThreadExecutor();
      private End other;
      private volatile PeerId self;
      private volatile PeerMetadata metadata;
      private volatile Listener listener;

      @Override
      public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
        this.self = self;
        this.metadata = metadata;
        this.listener = listener;
        synchronized (Loopback.this) {
          if (other.listener != null) {
            other.delivery.execute(() -> other.listener.peerCandidate(self, metadata));
            delivery.execute(() -> listener.peerCandidate(other.self, other.metadata));
          }
        }
      }

      @Override
      public void send(RepoMessage message) {
        switch (message) {
          case RepoMessage.Sync s -> record(s.documentId(), s.data());
          case RepoMessage.Request r -> record(r.documentId(), r.data());
          case RepoMessage.Join j -> { }
          case RepoMessage.Peer p -> { }
          case RepoMessage.Leave l -> { }
          case RepoMessage.Error e -> { }
          case RepoMessage.DocUnavailable u -> { }
          case RepoMessage.Ephemeral e -> { }
          case RepoMessage.RemoteHeadsChanged r -> { }
          case RepoMessage.RemoteSubscriptionChange r -> { }
          case RepoMessage.Unknown u -> { }
        }
        byte[] frame = message.encode();
        if (message.target().equals(Optional.ofNullable(other.self))) {
          other.delivery.execute(() -> other.listener.message(RepoMessage.decode(frame)));
        }
      }

      private void record(DocumentId id, Bytes bytes) {
        data.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(bytes);
      }

      @Override
      public void close() {
        delivery.shutdown();
      }
    }
  }
}
