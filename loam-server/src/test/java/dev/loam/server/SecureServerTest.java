package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureStore;
import dev.loam.secure.net.SecureMessage;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure endpoint against hostile and honest clients over loopback: who may pull, replays of
 * captured handshakes and requests, audience, pushes judged by their authors, and the plain
 * protocol kept away from secure documents.
 */
class SecureServerTest {
  @TempDir Path dir;
  private final SecureFixture.Clock clock = new SecureFixture.Clock();
  private final SecureFixture f = new SecureFixture();
  private LoamServer server;

  private LoamServer start() throws Exception {
    server = LoamServer.builder().port(0).clock(clock).storage(SqliteStorageAdapter.open(dir.resolve("loam.db"))).build()
        .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private long now() {
    return clock.millis();
  }

  private SecureSocket as(Identity who) throws Exception {
    return SecureSocket.authenticated(server.port(), who, now());
  }

  /** Alice's document with Bob as {@code bobLevel}, Carol as editor, and one envelope by Alice. */
  private record Doc(MembershipOp.Add addBob, MembershipOp.Add addCarol, Envelope first, Identity bob, Identity carol) {}

  private Doc document(Level bobLevel) throws Exception {
    Identity bob = f.identity();
    Identity carol = f.identity();
    MembershipOp.Add addBob = f.add(f.alice, SecureFixture.on(f.genesis), bob, bobLevel);
    MembershipOp.Add addCarol = f.add(f.alice, SecureFixture.on(addBob), carol, Level.EDIT);
    Envelope first = f.envelope(f.alice, List.of(), SecureFixture.on(addCarol), "first words");
    try (SecureSocket alice = as(f.alice)) {
      SecureMessage.Pushed pushed = alice.push(f.doc, f.genesis, addBob, addCarol, first);
      assertEquals(List.of(0, 1, 2, 3), pushed.accepted(), pushed.rejected().toString());
    }
    return new Doc(addBob, addCarol, first, bob, carol);
  }

  @Test
  void aNonMemberPullGetsExactlyWhatAnUnknownDocumentGets() throws Exception {
    start();
    document(Level.READ);
    Identity mallory = f.identity();
    try (SecureSocket m = as(mallory)) {
      SecureSocket.Pulled ofDoc = m.pullAll(m.pull(mallory, f.doc, 0, true, now()));
      SecureSocket.Pulled ofNothing = m.pullAll(m.pull(mallory, DocumentId.random(), 0, false, now()));
      assertEquals(new SecureSocket.Pulled(List.of(), 0), ofDoc);
      assertEquals(ofNothing, ofDoc);
      // a later push reaches no non-member subscriber
      Envelope more = f.envelope(f.alice, List.of(), SecureFixture.on(f.genesis), "more");
      try (SecureSocket alice = as(f.alice)) {
        assertEquals(List.of(0), alice.push(f.doc, more).accepted()); // delivered to subscribers before this answer
      }
      SecureSocket.Pulled again = m.pullAll(m.pull(mallory, f.doc, 3, false, now()));
      assertEquals(new SecureSocket.Pulled(List.of(), 0), again, "nothing arrived for the subscription before this");
    }
  }

  @Test
  void relayAndReadMembersPullEverythingAndSubscribersHearNewItems() throws Exception {
    start();
    Identity relay = f.identity();
    Doc d = document(Level.READ);
    MembershipOp.Add addRelay = f.add(f.alice, SecureFixture.on(d.addCarol()), relay, Level.RELAY);
    try (SecureSocket alice = as(f.alice)) {
      assertEquals(List.of(0), alice.push(f.doc, addRelay).accepted());
    }
    List<Bytes> all = List.of(f.genesis.encoded(), d.addBob().encoded(), d.addCarol().encoded(), d.first().encoded(),
        addRelay.encoded());
    try (SecureSocket r = as(relay); SecureSocket bob = as(d.bob())) {
      assertEquals(new SecureSocket.Pulled(all, 5), r.pullAll(r.pull(relay, f.doc, 0, false, now())));
      assertEquals(new SecureSocket.Pulled(all.subList(3, 5), 5), bob.pullAll(bob.pull(d.bob(), f.doc, 3, true, now())));
      Envelope byCarol = f.envelope(d.carol(), List.of(d.first().id()), SecureFixture.on(addRelay), "carol's words");
      try (SecureSocket carol = as(d.carol())) {
        assertEquals(List.of(0), carol.push(f.doc, byCarol).accepted());
      }
      SecureMessage.Items pushedToBob = bob.next(SecureMessage.Items.class);
      assertEquals(List.of(new SecureStore.StoredBytes(6, byCarol.encoded())), pushedToBob.items());
      assertEquals("carol's words", f.open((Envelope) SecureItem.decode(pushedToBob.items().getFirst().encoded().toByteArray())));
    }
  }

  @Test
  void anUnauthenticatedConnectionCannotPullOrPush() throws Exception {
    start();
    document(Level.READ);
    try (SecureSocket hijacked = SecureSocket.open(server.port())) {
      // a pull correctly signed by Alice for this very connection, but the connection never authenticated
      hijacked.send(hijacked.pull(f.alice, f.doc, 0, false, now()));
      assertTrue(hijacked.refused().contains("authenticate"));
      assertTrue(hijacked.inbox.isEmpty());
    }
    try (SecureSocket s = SecureSocket.open(server.port())) {
      s.send(new SecureMessage.Push(f.doc, List.of(f.genesis.encoded())));
      assertTrue(s.refused().contains("authenticate"));
    }
  }

  @Test
  void aCapturedAuthIsRefusedOnAnotherConnectionInsideAndOutsideItsWindow() throws Exception {
    start();
    SecureMessage.Auth captured;
    try (SecureSocket first = SecureSocket.open(server.port())) {
      captured = SecureMessage.Auth.sign(f.alice.signingKey(), first.challenge, now());
      first.send(captured);
      first.next(SecureMessage.Authenticated.class);
    }
    try (SecureSocket replay = SecureSocket.open(server.port())) {
      replay.send(captured);
      assertTrue(replay.refused().contains("another connection's challenge"));
    }
    clock.advance(Duration.ofMinutes(5));
    try (SecureSocket replay = SecureSocket.open(server.port())) {
      replay.send(captured);
      assertTrue(replay.refused().contains("another connection's challenge"));
    }
  }

  @Test
  void anAuthOutsideTheSixtySecondWindowIsRefusedAndOneInsideIsAccepted() throws Exception {
    start();
    for (long offset : new long[] {-61_000, 61_000}) {
      try (SecureSocket s = SecureSocket.open(server.port())) {
        s.send(SecureMessage.Auth.sign(f.alice.signingKey(), s.challenge, now() + offset));
        assertTrue(s.refused().contains("60 s"), "offset " + offset);
      }
    }
    for (long offset : new long[] {-59_000, 59_000}) {
      try (SecureSocket s = SecureSocket.open(server.port())) {
        s.send(SecureMessage.Auth.sign(f.alice.signingKey(), s.challenge, now() + offset));
        s.next(SecureMessage.Authenticated.class);
      }
    }
  }

  @Test
  void requestsForAnotherAudienceAreRefused() throws Exception {
    start();
    document(Level.READ);
    try (SecureSocket s = SecureSocket.open(server.port())) {
      SecureMessage.Challenge elsewhere = new SecureMessage.Challenge(s.challenge.nonce(), "another-server");
      s.send(SecureMessage.Auth.sign(f.alice.signingKey(), elsewhere, now()));
      assertTrue(s.refused().contains("another server"));
    }
    try (SecureSocket s = as(f.alice)) {
      s.send(SecureMessage.Pull.sign(f.alice.signingKey(), s.challenge.nonce(), f.doc, 0, false, SecureSocket.nonce(),
          now(), "another-server"));
      assertTrue(s.refused().contains("another server"));
    }
  }

  @Test
  void aCapturedPullIsRefusedOnAnotherConnectionAndWhenRepeated() throws Exception {
    start();
    document(Level.READ);
    SecureMessage.Pull captured;
    try (SecureSocket alice = as(f.alice)) {
      captured = alice.pull(f.alice, f.doc, 0, false, now());
      assertEquals(4, alice.pullAll(captured).items().size());
      alice.send(captured);
      assertTrue(alice.refused().contains("replayed"));
    }
    Identity mallory = f.identity();
    try (SecureSocket m = as(mallory)) {
      m.send(captured);
      assertTrue(m.refused().contains("not signed by this connection's key"));
      assertTrue(m.inbox.isEmpty());
    }
    try (SecureSocket aliceAgain = as(f.alice)) { // even Alice's own next connection
      aliceAgain.send(captured);
      assertTrue(aliceAgain.refused().contains("for this connection"));
    }
  }

  @Test
  void pushesAreJudgedByTheirAuthorsLevelNotTheConnections() throws Exception {
    start();
    Doc d = document(Level.READ);
    Envelope byReader = f.envelope(d.bob(), List.of(d.first().id()), SecureFixture.on(d.addCarol()), "bob was here");
    MembershipOp.Add selfPromotion = f.add(d.bob(), SecureFixture.on(d.addCarol()), d.bob(), Level.ADMIN);
    Envelope byEditor = f.envelope(d.carol(), List.of(d.first().id()), SecureFixture.on(d.addCarol()), "carol");
    Identity outsider = f.identity();
    Envelope byOutsider = f.envelope(outsider, List.of(), SecureFixture.on(d.addCarol()), "outsider");
    try (SecureSocket admin = as(f.alice)) {
      SecureMessage.Pushed p = admin.push(f.doc, byReader, selfPromotion, byOutsider);
      assertEquals(List.of(), p.accepted());
      assertEquals(List.of(0, 1, 2), p.rejected().stream().map(SecureMessage.Rejection::index).toList());
      p.rejected().forEach(r -> assertFalse(r.reason().equals(SecureHost.NOT_ACCEPTED), "a member learns why"));
    }
    assertEquals(3.0, server.meterRegistry().get("loam.secure.items").tag("outcome", "rejected").counter().count());
    try (SecureSocket reader = as(d.bob())) {
      // an editor's envelope relayed by a reader is the editor's write
      assertEquals(List.of(0), reader.push(f.doc, byEditor).accepted());
      // the reader's own envelope stays refused over its own connection
      assertEquals(List.of(0), reader.push(f.doc, byReader).rejected().stream().map(SecureMessage.Rejection::index).toList());
    }
    try (SecureSocket alice = as(f.alice)) {
      SecureSocket.Pulled all = alice.pullAll(alice.pull(f.alice, f.doc, 0, false, now()));
      assertEquals(List.of(f.genesis.encoded(), d.addBob().encoded(), d.addCarol().encoded(), d.first().encoded(),
          byEditor.encoded()), all.items());
    }
  }

  @Test
  void aRemovedEditorsBackdatedEnvelopeIsRefusedAndItsSubscriptionEnds() throws Exception {
    start();
    Doc d = document(Level.EDIT);
    try (SecureSocket bob = as(d.bob())) {
      assertEquals(4, bob.pullAll(bob.pull(d.bob(), f.doc, 0, true, now())).items().size());
      Envelope beforeRemoval = f.envelope(d.bob(), List.of(d.first().id()), SecureFixture.on(d.addCarol()), "in time");
      bob.send(new SecureMessage.Push(f.doc, List.of(beforeRemoval.encoded())));
      assertEquals(beforeRemoval.encoded(), bob.next(SecureMessage.Items.class).items().getFirst().encoded(),
          "a subscriber hears its own accepted push too, before the answer");
      assertEquals(List.of(0), bob.next(SecureMessage.Pushed.class).accepted());
      MembershipOp.Remove removeBob = MembershipOp.Remove.sign(f.alice, f.doc, SecureFixture.on(d.addCarol()),
          d.bob().signingKey().publicKey(), List.of(beforeRemoval.id()));
      Envelope afterRemoval = f.envelope(f.alice, List.of(beforeRemoval.id()), SecureFixture.on(removeBob), "after");
      try (SecureSocket alice = as(f.alice)) {
        assertEquals(List.of(0, 1), alice.push(f.doc, removeBob, afterRemoval).accepted());
      }
      // written "before" the removal by naming the old membership heads, but outside the cutoff
      Envelope backdated = f.envelope(d.bob(), List.of(beforeRemoval.id()), SecureFixture.on(d.addCarol()), "late");
      SecureMessage.Pushed refused = bob.push(f.doc, backdated);
      assertEquals(List.of(), refused.accepted());
      assertEquals(SecureHost.NOT_ACCEPTED, refused.rejected().getFirst().reason(), "no longer a member: no details");
      // the subscription ended: the pull's answer is the first thing Bob gets, and it is empty
      assertEquals(new SecureSocket.Pulled(List.of(), 0), bob.pullAll(bob.pull(d.bob(), f.doc, 0, false, now())));
    }
    try (SecureSocket carol = as(d.carol())) {
      assertEquals(7, carol.pullAll(carol.pull(d.carol(), f.doc, 0, false, now())).items().size(), "the backdated one is not stored");
    }
  }

  @Test
  void anEnvelopeRefusedWhileItsAuthorWasRemovedIsStoredWhenTheRemovalIsVoidedAndItComesAgain() throws Exception {
    start();
    Identity bob = f.identity();
    Identity dave = f.identity();
    MembershipOp.Add addBob = f.add(f.alice, SecureFixture.on(f.genesis), bob, Level.EDIT);
    MembershipOp.Add addDave = f.add(f.alice, SecureFixture.on(addBob), dave, Level.ADMIN);
    MembershipOp.Remove daveRemovesBob = MembershipOp.Remove.sign(dave, f.doc, SecureFixture.on(addDave),
        bob.signingKey().publicKey(), List.of());
    MembershipOp.Remove aliceRemovesDave = MembershipOp.Remove.sign(f.alice, f.doc, SecureFixture.on(addDave),
        dave.signingKey().publicKey(), List.of());
    Envelope byBob = f.envelope(bob, List.of(), SecureFixture.on(addDave), "concurrent with his removal");
    try (SecureSocket alice = as(f.alice)) {
      assertEquals(List.of(0, 1, 2, 3), alice.push(f.doc, f.genesis, addBob, addDave, daveRemovesBob).accepted());
      SecureMessage.Pushed refused = alice.push(f.doc, byBob);
      assertEquals(List.of(), refused.accepted());
      assertTrue(refused.rejected().getFirst().reason().startsWith("refused"), refused.toString());
      assertEquals(4, alice.pullAll(alice.pull(f.alice, f.doc, 0, false, now())).items().size(), "neither stored nor relayed");
      // the root removes Dave concurrently with Dave's removal of Bob: the senior removal wins, Dave's is void
      assertEquals(List.of(0), alice.push(f.doc, aliceRemovesDave).accepted());
      assertEquals(List.of(0), alice.push(f.doc, byBob).accepted(), "valid again: stored when it comes again");
      assertEquals(byBob.encoded(), alice.pullAll(alice.pull(f.alice, f.doc, 0, false, now())).items().getLast());
    }
  }

  @Test
  void aForgedSignatureIsMalformedAndAnEnvelopeForAnotherDocumentIsRefused() throws Exception {
    start();
    Doc d = document(Level.EDIT);
    SecureFixture other = new SecureFixture();
    try (SecureSocket o = as(other.alice)) {
      assertEquals(List.of(0), o.push(other.doc, other.genesis).accepted());
    }
    Envelope forA = f.envelope(d.carol(), List.of(d.first().id()), SecureFixture.on(d.addCarol()), "for A");
    byte[] forged = forA.encoded().toByteArray();
    forged[forged.length - 1] ^= 1; // the signature's last byte
    try (SecureSocket carol = as(d.carol()); SecureSocket otherRoot = as(other.alice)) {
      SecureMessage.Pushed asB = otherRoot.push(other.doc, forA);
      assertEquals(List.of(), asB.accepted());
      assertTrue(asB.rejected().getFirst().reason().contains("another document"));
      carol.send(new SecureMessage.Push(f.doc, List.of(Bytes.wrap(forged))));
      SecureMessage.Pushed p = carol.next(SecureMessage.Pushed.class);
      assertEquals("malformed item", p.rejected().getFirst().reason());
      assertEquals(4, carol.pullAll(carol.pull(d.carol(), f.doc, 0, false, now())).items().size());
      assertEquals(List.of(other.genesis.encoded()),
          otherRoot.pullAll(otherRoot.pull(other.alice, other.doc, 0, false, now())).items());
    }
  }

  @Test
  void thePlainProtocolGetsDocUnavailableForASecureDocumentAndStoresNothing() throws Exception {
    start();
    document(Level.READ);
    Document squat = Document.create();
    squat.put(ObjId.ROOT, "squatted", ScalarValue.of("yes"));
    byte[] data = Sync.generateSyncMessage(squat, new SyncState()).orElseThrow().encode();
    try (TestClient plain = TestClient.connect(server.port(), "squatter")) {
      plain.join();
      plain.send(new RepoMessage.Request(plain.id, server.peerId(), f.doc, Bytes.wrap(data)));
      assertEquals(f.doc, plain.next(RepoMessage.DocUnavailable.class).documentId());
      plain.send(new RepoMessage.Sync(plain.id, server.peerId(), f.doc, Bytes.wrap(data)));
      assertEquals(f.doc, plain.next(RepoMessage.DocUnavailable.class).documentId());
      // a plain document on the same connection still syncs: the server answers a request with sync
      DocumentId plainDoc = DocumentId.random();
      plain.send(new RepoMessage.Request(plain.id, server.peerId(), plainDoc, Bytes.wrap(data)));
      assertEquals(plainDoc, plain.next(RepoMessage.Sync.class).documentId());
    }
    server.close();
    try (SqliteStorageAdapter storage = SqliteStorageAdapter.open(dir.resolve("loam.db"))) {
      assertEquals(List.of(), storage.loadRange(StorageKey.of(f.doc.toString())), "nothing stored under the secure id");
      assertEquals(4, SecureStore.on(storage).load(f.doc).size());
    }
  }

  @Test
  void anIdTheServerKnewAsPlainIsRefusedToThePlainProtocolOnceItsGenesisIsStored() throws Exception {
    start();
    Document doc = Document.create();
    doc.put(ObjId.ROOT, "k", ScalarValue.of("v"));
    byte[] data = Sync.generateSyncMessage(doc, new SyncState()).orElseThrow().encode();
    try (TestClient plain = TestClient.connect(server.port(), "early")) {
      plain.join();
      plain.send(new RepoMessage.Request(plain.id, server.peerId(), f.doc, Bytes.wrap(data)));
      assertEquals(f.doc, plain.next(RepoMessage.Sync.class).documentId(), "not secure yet: served as plain");
      try (SecureSocket alice = as(f.alice)) {
        assertEquals(List.of(0), alice.push(f.doc, f.genesis).accepted());
      }
      plain.send(new RepoMessage.Sync(plain.id, server.peerId(), f.doc, Bytes.wrap(data)));
      assertEquals(f.doc, plain.next(RepoMessage.DocUnavailable.class).documentId());
    }
  }

  @Test
  void aPlainRepoLookingForASecureDocumentFindsItUnavailable() throws Exception {
    start();
    document(Level.READ);
    try (Repo plain = Repo.builder().peerId(dev.loam.repo.id.PeerId.of("plain-client")).storage(new InMemoryStorageAdapter())
        .network(WebSocketClientAdapter.builder(java.net.URI.create("ws://127.0.0.1:" + server.port())).build()).build()) {
      plain.whenPeerConnected().get(10, TimeUnit.SECONDS);
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> plain.find(f.doc).whenReady().get(20, TimeUnit.SECONDS));
      assertEquals(DocumentUnavailableException.class, e.getCause().getClass());
    }
  }

  @Test
  void logsEvictedFromMemoryAreRebuiltWithEverythingTheyKnew() throws Exception {
    server = LoamServer.builder().port(0).clock(clock).secureLogsInMemory(1)
        .storage(SqliteStorageAdapter.open(dir.resolve("loam.db"))).build().start();
    Doc d = document(Level.EDIT);
    SecureFixture other = new SecureFixture();
    MembershipOp.Remove removeBob = MembershipOp.Remove.sign(f.alice, f.doc, SecureFixture.on(d.addCarol()),
        d.bob().signingKey().publicKey(), List.of(d.first().id()));
    try (SecureSocket alice = as(f.alice); SecureSocket o = as(other.alice)) {
      assertEquals(List.of(0), alice.push(f.doc, removeBob).accepted());
      assertEquals(List.of(0), o.push(other.doc, other.genesis).accepted()); // evicts f.doc's log
    }
    try (SecureSocket bob = as(d.bob())) {
      Envelope late = f.envelope(d.bob(), List.of(d.first().id()), SecureFixture.on(d.addCarol()), "late");
      assertEquals(List.of(), bob.push(f.doc, late).accepted(), "the rebuilt log knows the removal");
      assertEquals(new SecureSocket.Pulled(List.of(), 0), bob.pullAll(bob.pull(d.bob(), f.doc, 0, false, now())));
    }
    try (SecureSocket carol = as(d.carol())) {
      Envelope fine = f.envelope(d.carol(), List.of(d.first().id()), SecureFixture.on(removeBob), "fine");
      assertEquals(List.of(0), carol.push(f.doc, fine).accepted());
      assertEquals(6, carol.pullAll(carol.pull(d.carol(), f.doc, 0, false, now())).items().size());
    }
    assertEquals(1.0, server.meterRegistry().get("loam.secure.logs").gauge().value());
  }

  @Test
  void malformedMessagesGetAnErrorAndACloseAndTheServerServesOthers() throws Exception {
    start();
    document(Level.READ);
    byte[][] bad = {
        {},
        {(byte) 0xff, 0x00, 0x13},
        new SecureMessage.Error("x").encode(), // a client never sends error... handled as a close
        new SecureMessage.Pulled(f.doc, 1).encode(), // a server's message
        dev.loam.repo.protocol.RepoMessage.Join.class.getSimpleName().getBytes(), // text bytes, not CBOR
    };
    for (byte[] frame : bad) {
      try (SecureSocket s = SecureSocket.open(server.port())) {
        s.sendRaw(frame);
        s.closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    try (SecureSocket s = SecureSocket.open(server.port())) {
      byte[] unknown = tools.jackson.dataformat.cbor.CBORMapper.builder().build()
          .writeValueAsBytes(java.util.Map.of("type", "launch-missiles"));
      s.sendRaw(unknown);
      assertTrue(s.refused().contains("unknown message type"));
    }
    try (SecureSocket alice = as(f.alice)) {
      assertEquals(4, alice.pullAll(alice.pull(f.alice, f.doc, 0, false, now())).items().size());
    }
  }

  @Test
  void theServersMessageSizeLimitHoldsOnTheSecurePathToo() throws Exception {
    server = LoamServer.builder().port(0).clock(clock).limits(ServerLimits.builder().maxMessageBytes(4096).build())
        .storage(SqliteStorageAdapter.open(dir.resolve("loam.db"))).build().start();
    try (SecureSocket alice = as(f.alice)) {
      Envelope big = f.envelope(f.alice, List.of(), SecureFixture.on(f.genesis), "x".repeat(8192));
      alice.send(new SecureMessage.Push(f.doc, List.of(f.genesis.encoded(), big.encoded())));
      assertTrue(alice.refused().contains("too large"));
    }
    try (SecureSocket alice = as(f.alice)) {
      assertEquals(new SecureSocket.Pulled(List.of(), 0), alice.pullAll(alice.pull(f.alice, f.doc, 0, false, now())),
          "nothing of the refused message was stored");
    }
  }

  @Test
  void itemsSurviveARestartOfTheServer() throws Exception {
    start();
    Doc d = document(Level.READ);
    server.close();
    start();
    try (SecureSocket bob = as(d.bob())) {
      SecureSocket.Pulled all = bob.pullAll(bob.pull(d.bob(), f.doc, 0, false, now()));
      assertEquals(List.of(f.genesis.encoded(), d.addBob().encoded(), d.addCarol().encoded(), d.first().encoded()),
          all.items());
      assertEquals("first words", f.open(d.first()));
    }
  }
}
