package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: when two peers' messages about a new document arrived at once, the second could be
 * queued on the handle before the first's load task and was dropped (the handle was still
 * LOADING), so that peer never got an answer. Found by the server's two-client ephemeral test.
 */
class MessageBeforeLoadRegressionTest {
  @Test
  void a_request_that_reaches_a_handle_before_its_load_task_is_answered_not_dropped() {
    List<RepoMessage> sent = new ArrayList<>();
    NetworkAdapter.Listener[] heard = new NetworkAdapter.Listener[1];
    NetworkAdapter network = new NetworkAdapter() {
      @Override
      public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
        heard[0] = listener;
      }

      @Override
      public void send(RepoMessage message) {
        sent.add(message);
      }

      @Override
      public void close() {}
    };
    try (Repo repo = Repo.builder().peerId(PeerId.of("server")).storage(new InMemoryStorageAdapter())
        .network(network).sharePolicy(SharePolicy.NEVER).executor(Runnable::run).build()) {
      PeerId peer = PeerId.of("peer-a");
      heard[0].peerCandidate(peer, PeerMetadata.NONE);
      DocumentId id = DocumentId.random();
      // the state of a handle another thread just created, whose load task is not queued yet
      DocHandle h = new DocHandle(repo, id, Document.create(), DocHandle.State.LOADING);
      byte[] data = Sync.generateSyncMessage(Document.create(), new SyncState()).orElseThrow().encode();
      h.receive(new RepoMessage.Request(peer, repo.peerId(), id, Bytes.wrap(data)),
          (Repo.PeerInfo) repo.conversations().connectionOf(peer));

      assertInstanceOf(RepoMessage.Sync.class, sent.get(0));
      assertEquals(new RepoMessage.DocUnavailable(repo.peerId(), peer, id), sent.get(1));
    }
  }
}
