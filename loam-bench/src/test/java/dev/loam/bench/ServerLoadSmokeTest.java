package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.LoamServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code loam bench server} in small: a few dozen lean clients type and read through a real
 * server for two seconds. Correctness only (never timing): every connection opened and held,
 * every keystroke reached every reader of its document, every reader ends at its typist's heads,
 * no errors, and the counts agree with each other and with the server's.
 */
class ServerLoadSmokeTest {
  @Test
  void everyReaderGetsEveryKeystrokeAndEndsAtItsTypistsHeads() throws Exception {
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1").storage(new InMemoryStorageAdapter())
        .build().start()) {
      ServerLoad.Options o = new ServerLoad.Options(URI.create("ws://127.0.0.1:" + server.port()), 30, 3, 10,
          Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 10, 1,
          java.util.OptionalLong.empty());
      ServerLoad.Report r = new ServerLoad(o).run(() -> server.connectionCount());
      assertEquals(0, r.errors(), () -> "errors: " + r.errorSamples());
      assertEquals(30, r.connected());
      assertEquals(30, r.heldAtEnd());
      assertEquals(30, r.measuredWhileHeld(), "the server counts the clients' connections while they are held");
      assertTrue(r.converged(), "every reader ends at its typist's heads");
      assertEquals(0, r.undelivered());
      assertTrue(r.keystrokes() > 0, "the typists typed");
      assertEquals(r.keystrokes(), r.fanOutNanos().length, "one complete fan-out per keystroke");
      assertEquals(3, server.documentCount());
    }
  }
}
