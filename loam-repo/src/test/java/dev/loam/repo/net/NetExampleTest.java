package dev.loam.repo.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example of package {@code dev.loam.repo.net}'s Javadoc: a repo connects to a sync server
 * over WebSocket. The server is the test's own minimal one, answering the join as automerge-repo's
 * sync server does and recording what the repo sends next.
 */
class NetExampleTest {
  @Test
  void aRepoJoinsTheServerAndOffersItANewDocument() throws Exception {
    PeerId serverId = PeerId.of("sync-server");
    try (MiniWebSocketServer server = new MiniWebSocketServer()) {
      CompletableFuture<RepoMessage> afterJoin = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try {
          MiniWebSocketServer.Conn conn = server.accept();
          RepoMessage.Join join = assertInstanceOf(RepoMessage.Join.class, conn.read());
          conn.write(new RepoMessage.Peer(serverId, join.senderId(),
              PeerMetadata.persistent(StorageId.of("7f0c2d1e-5b7a-4c6d-8e9f-0a1b2c3d4e5f")), "1"), 1);
          afterJoin.complete(conn.read());
        } catch (Throwable e) {
          afterJoin.completeExceptionally(e);
        }
      });
      String address = server.url();
      // @start region="example"
      try (Repo repo = Repo.builder()
          .network(WebSocketClientAdapter.of(address)) // e.g. "ws://localhost:3030" (loam serve)
          .build()) {
        PeerId peer = repo.whenPeerConnected().get(10, TimeUnit.SECONDS); // once the server answers
        DocHandle notes = repo.create();              // offered to the server, which keeps it
        notes.change(tx -> tx.put(ObjId.ROOT, "title", "Shopping"));
        // @end
        assertEquals(serverId, peer);
        RepoMessage.DocMessage offer = assertInstanceOf(RepoMessage.DocMessage.class,
            afterJoin.get(10, TimeUnit.SECONDS));
        assertEquals(notes.documentId(), offer.documentId());
        assertEquals(serverId, offer.targetId());
      }
    }
  }
}
