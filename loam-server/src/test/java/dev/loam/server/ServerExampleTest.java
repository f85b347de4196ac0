package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.server}'s Javadoc: two repos share a document through a server. */
class ServerExampleTest {
  @Test
  void aDocumentCreatedByOneClientIsFoundByAnother() throws Exception {
    // @start region="example"
    try (LoamServer server = LoamServer.builder().host("127.0.0.1").port(0) // 0: any free port
            .storage(new InMemoryStorageAdapter()).build().start();
        Repo laptop = Repo.builder().network(WebSocketClientAdapter.of("ws://127.0.0.1:" + server.port())).build();
        Repo phone = Repo.builder().network(WebSocketClientAdapter.of("ws://127.0.0.1:" + server.port())).build()) {
      DocHandle notes = laptop.create();
      notes.change(tx -> tx.put(ObjId.ROOT, "title", "Shopping"));
      notes.whenPeerHas(server.peerId(), notes.heads()).get(10, TimeUnit.SECONDS); // stored on the server

      DocHandle onPhone = phone.find(notes.url()).whenReady().get(10, TimeUnit.SECONDS);
      String json = onPhone.toJson();                 // {"title":"Shopping"}
      // @end
      assertEquals("{\"title\":\"Shopping\"}", json);
      assertEquals(1, server.documentCount());
    }
  }
}
