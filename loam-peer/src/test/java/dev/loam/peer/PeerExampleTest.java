package dev.loam.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.peer}'s Javadoc: two repos sync directly, no server. */
class PeerExampleTest {
  @Test
  void aRepoFindsADocumentOnAPeerItDialled() throws Exception {
    // @start region="example"
    try (LoamPeer desk = LoamPeer.builder(Repo.builder().storage(new InMemoryStorageAdapter())).host("127.0.0.1").build();
        LoamPeer laptop = LoamPeer.builder(Repo.builder().storage(new InMemoryStorageAdapter()))
            .host("127.0.0.1").connect(URI.create("ws://127.0.0.1:" + desk.port())).build()) {  // or .discovery(...)
      DocHandle note = desk.repo().create();
      note.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("no server needed")));
      DocHandle there = laptop.repo().find(note.documentId()).whenReady().get(10, TimeUnit.SECONDS);
      // @end
      assertEquals("{\"title\":\"no server needed\"}", there.toJson());
      assertEquals(note.heads(), there.heads());
    }
  }
}
