package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import dev.loam.secure.net.SecureSyncClient;
import dev.loam.secure.net.SecureSyncException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SecureSyncClient} against a real server: sync both ways, subscriptions, refusals as typed problems. */
class SecureSyncClientTest {
  private final SecureFixture f = new SecureFixture();
  private LoamServer server;
  private URI uri;

  @BeforeEach
  void start() throws Exception {
    server = LoamServer.builder().port(0).storage(new InMemoryStorageAdapter()).build().start();
    uri = URI.create("ws://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SecureSyncClient client(Identity who) {
    return SecureSyncClient.connect(uri, who, Duration.ofSeconds(10));
  }

  @Test
  void syncPullsFirstThenPushesOnlyWhatTheServerLacks() {
    Identity carol = f.identity();
    MembershipOp.Add addCarol = f.add(f.alice, SecureFixture.on(f.genesis), carol, Level.EDIT);
    Envelope one = f.envelope(f.alice, List.of(), SecureFixture.on(addCarol), "one");
    try (SecureSyncClient alice = client(f.alice)) {
      assertEquals(server.storageId().value(), alice.audience());
      SecureBlindnessTest.ListTarget mine = new SecureBlindnessTest.ListTarget(f.doc, List.of(f.genesis, addCarol, one));
      alice.sync(mine); // the server had nothing: the push creates the document, a second pull confirms it
      assertEquals(List.of(f.genesis, addCarol, one), mine.received);
      mine.received.clear();
      alice.sync(mine); // again: everything is there
      assertEquals(List.of(f.genesis, addCarol, one), mine.received);
    }
    Envelope two = f.envelope(carol, List.of(one.id()), SecureFixture.on(addCarol), "two");
    try (SecureSyncClient c = client(carol)) {
      SecureBlindnessTest.ListTarget carols = new SecureBlindnessTest.ListTarget(f.doc, List.of(two));
      c.sync(carols);
      assertEquals(List.of(f.genesis, addCarol, one), carols.received);
    }
    try (SecureSyncClient alice = client(f.alice)) {
      SecureBlindnessTest.ListTarget fresh = new SecureBlindnessTest.ListTarget(f.doc, List.of());
      alice.sync(fresh);
      assertEquals(List.of(f.genesis, addCarol, one, two), fresh.received);
    }
  }

  @Test
  void aSubscriberReceivesItemsStoredLaterOnItsNetworkThread() throws Exception {
    Identity bob = f.identity();
    MembershipOp.Add addBob = f.add(f.alice, SecureFixture.on(f.genesis), bob, Level.READ);
    try (SecureSyncClient alice = client(f.alice); SecureSyncClient b = client(bob)) {
      alice.push(f.doc, List.of(f.genesis, addBob));
      CompletableFuture<List<SecureItem>> later = new CompletableFuture<>();
      long cursor = b.subscribe(f.doc, 2, items -> later.complete(items));
      assertEquals(2, cursor);
      Envelope news = f.envelope(f.alice, List.of(), SecureFixture.on(addBob), "news");
      alice.push(f.doc, List.of(news));
      assertEquals(List.of(news), later.get(10, TimeUnit.SECONDS));
      // the subscription does not disturb the next request on the same connection
      assertEquals(3, b.pull(f.doc, 0, items -> { }));
    }
  }

  @Test
  void refusalsArriveAsTypedProblems() {
    Identity bob = f.identity();
    MembershipOp.Add addBob = f.add(f.alice, SecureFixture.on(f.genesis), bob, Level.READ);
    try (SecureSyncClient alice = client(f.alice)) {
      alice.push(f.doc, List.of(f.genesis, addBob));
      Envelope byReader = f.envelope(bob, List.of(), SecureFixture.on(addBob), "not allowed");
      SecureSyncException e = assertThrows(SecureSyncException.class, () -> alice.push(f.doc, List.of(byReader)));
      assertEquals(SecureSyncException.Problem.REJECTED, e.problem());
      assertTrue(e.getMessage().contains("item 0"), e.getMessage());
    }
    SecureSyncException skewed = assertThrows(SecureSyncException.class, () -> SecureSyncClient.connect(uri, bob,
        Duration.ofSeconds(10), () -> Instant.now().plusSeconds(120)));
    assertEquals(SecureSyncException.Problem.REFUSED, skewed.problem());
    server.close();
    SecureSyncException down = assertThrows(SecureSyncException.class, () -> client(bob));
    assertEquals(SecureSyncException.Problem.CONNECTION, down.problem());
  }
}
