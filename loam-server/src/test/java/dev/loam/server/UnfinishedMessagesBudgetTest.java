package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, point 12: many connections that each stream a large message and never finish it
 * (one huge frame, or many non-final fragments) hold no more than the server-wide budget
 * ({@link ServerLimits#maxUnfinishedBytes()}, gauge {@code loam.messages.unfinished.bytes}) at
 * any time, connections whose fragments do not fit are dropped, well-behaved clients keep
 * syncing meanwhile, and every reservation is given back when the sockets go.
 */
class UnfinishedMessagesBudgetTest {
  private static final long BUDGET = 8 << 20;
  private static final int HOSTILE = 12;
  private static final int HOSTILE_BYTES = 3 << 20;
  private static final int CHUNK = 128 << 10;

  private LoamServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void unfinishedMessagesOfManyConnectionsStayWithinTheBudgetWhileAWellBehavedClientSyncs() throws Exception {
    server = LoamServer.builder().port(0).host("127.0.0.1").peerId(PeerId.of("test-server"))
        .storage(new InMemoryStorageAdapter())
        .limits(ServerLimits.builder().maxMessageBytes(4 << 20).maxUnfinishedBytes(BUDGET).build()).build().start();
    Gauge gauge = server.meterRegistry().get("loam.messages.unfinished.bytes").gauge();

    AtomicLong maxSeen = new AtomicLong();
    AtomicInteger written = new AtomicInteger();
    CountDownLatch writersDone = new CountDownLatch(HOSTILE);
    CountDownLatch dropped = new CountDownLatch(1);
    List<RawSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < HOSTILE; i++) {
        RawSocket s = RawSocket.upgrade(server.port());
        sockets.add(s);
        boolean fragmented = i % 2 == 1;
        Thread.ofVirtual().start(() -> {
          try {
            s.awaitEnd();
          } catch (IOException e) {
            // ended
          }
          dropped.countDown();
        });
        Thread.ofVirtual().start(() -> {
          try {
            streamUnfinished(s.out, fragmented, () -> {
              maxSeen.accumulateAndGet((long) gauge.value(), Math::max);
              written.incrementAndGet();
            });
          } catch (IOException droppedByTheServer) {
            // expected for the connections over the budget
          } finally {
            writersDone.countDown();
          }
        });
      }
      assertTrue(dropped.await(30, TimeUnit.SECONDS), "no connection was dropped although "
          + HOSTILE + " x " + HOSTILE_BYTES + " bytes exceed the budget of " + BUDGET);

      // meanwhile, two well-behaved clients pass a document through the server
      try (TestClient a = TestClient.connect(server.port(), "peer-a");
           TestClient b = TestClient.connect(server.port(), "peer-b")) {
        a.join();
        b.join();
        DocumentId id = DocumentId.random();
        Document docA = Document.create();
        docA.put(ObjId.ROOT, "hello", ScalarValue.of("world"));
        docA.commit();
        SyncState stA = new SyncState();
        a.send(WebSocketServerAdapterTest.sync(a.id, id, docA, stA));
        exchangeUntil(a, docA, stA, id, st -> dev.loam.Heads.of(st.sharedHeads()).equals(docA.heads()));
        Document docB = Document.create();
        SyncState stB = new SyncState();
        b.send(WebSocketServerAdapterTest.request(b.id, id, docB, stB));
        exchangeUntil(b, docB, stB, id, st -> docB.heads().equals(docA.heads()));
        assertEquals(docA.toJson(), docB.toJson());
      }

      assertTrue(writersDone.await(60, TimeUnit.SECONDS), "the hostile writers did not finish");
      assertTrue(written.get() > 0, "no fragment was written");
      assertTrue(maxSeen.get() > 0, "the budget never held anything: the test measured nothing");
      assertTrue(maxSeen.get() <= BUDGET, "held " + maxSeen.get() + " bytes, over the budget of " + BUDGET);
      assertTrue(gauge.value() <= BUDGET);
    } finally {
      for (RawSocket s : sockets) {
        s.close();
      }
    }
    // every reservation comes back once the sockets are gone
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gauge.value() != 0) {
      if (System.nanoTime() > deadline) {
        fail("still holding " + (long) gauge.value() + " bytes after every hostile socket closed");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** Answers the server's sync messages for {@code id} until {@code done} holds for the sync state. */
  private static void exchangeUntil(TestClient c, Document doc, SyncState state, DocumentId id,
                                    Predicate<SyncState> done) throws Exception {
    while (!done.test(state)) {
      RepoMessage m = c.next();
      if (m instanceof RepoMessage.Sync s && s.documentId().equals(id)) {
        Sync.receiveSyncMessage(doc, state, s.data().toByteArray());
        var reply = Sync.generateSyncMessage(doc, state);
        if (reply.isPresent()) {
          c.send(new RepoMessage.Sync(c.id, PeerId.of("test-server"), id, Bytes.wrap(reply.get().encode())));
        }
      }
    }
  }

  /**
   * Sends {@link #HOSTILE_BYTES} of a binary message that never ends: one frame announcing
   * 4 MiB - 1 bytes, or (when {@code fragmented}) non-final frames of {@link #CHUNK} bytes.
   */
  private static void streamUnfinished(OutputStream out, boolean fragmented, Runnable afterChunk) throws IOException {
    byte[] chunk = new byte[CHUNK];
    if (!fragmented) {
      out.write(RawSocket.header(0x02, false, (4 << 20) - 1));
    }
    for (int sent = 0; sent < HOSTILE_BYTES; sent += CHUNK) {
      if (fragmented) {
        out.write(RawSocket.header(sent == 0 ? 0x02 : 0x00, false, CHUNK));
      }
      out.write(chunk); // with a zero mask the payload is sent as is
      out.flush();
      afterChunk.run();
    }
  }
}
