package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An ephemeral message about a document the repo has no handle for used to be dropped; automerge-repo
 * emits it and relays it to its generous peers. Loam hands it to the repo's ephemeral listeners and
 * relays it as automerge-repo does, without opening a handle. Everything runs on the test's thread
 * (direct executor, a scripted adapter).
 */
class EphemeralForUnopenedDocumentsTest {
  private static final PeerId X = PeerId.of("x");
  private static final PeerId Y = PeerId.of("y");
  private static final Bytes DATA = Bytes.of(new byte[] {(byte) 0xa1, 0x61, 0x78, 0x01}); // CBOR {"x": 1}

  private record Heard(DocumentId document, PeerId sender, Bytes data) {}

  private static Repo repo(ScriptedNetworkAdapter net, SharePolicy policy) {
    Repo r = Repo.builder().peerId(PeerId.of("self")).network(net).sharePolicy(policy).executor(Runnable::run).build();
    net.listener.peerCandidate(X, PeerMetadata.EPHEMERAL);
    net.listener.peerCandidate(Y, PeerMetadata.EPHEMERAL);
    return r;
  }

  @Test
  void reachesRepoListenersOnceAndIsRelayedToTheOtherPeersWithoutOpeningAHandle() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.ALWAYS)) {
      List<Heard> heard = new CopyOnWriteArrayList<>();
      repo.addEphemeralListener((doc, sender, data) -> heard.add(new Heard(doc, sender, data)));
      DocumentId doc = DocumentId.random();
      RepoMessage.Ephemeral e = new RepoMessage.Ephemeral(X, PeerId.of("self"), doc, "session-1", 7, DATA);
      net.listener.message(e);
      net.listener.message(e); // a duplicate (relayed to us twice) is heard once

      assertEquals(List.of(new Heard(doc, X, DATA)), heard);
      assertFalse(repo.documentIds().contains(doc), "no handle is opened for it");
      assertEquals(List.of(new RepoMessage.Ephemeral(X, Y, doc, "session-1", 7, DATA)), net.sent,
          "relayed once to y with the original sender, session and count; never back to x");
    }
  }

  @Test
  void isNotRelayedToPeersTheSharePolicyDoesNotAnnounceTheDocumentTo() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.NEVER)) {
      List<Heard> heard = new CopyOnWriteArrayList<>();
      repo.addEphemeralListener((doc, sender, data) -> heard.add(new Heard(doc, sender, data)));
      net.listener.message(new RepoMessage.Ephemeral(X, PeerId.of("self"), DocumentId.random(), "s", 1, DATA));
      assertEquals(1, heard.size());
      assertEquals(List.of(), net.sent);
    }
  }

  @Test
  void aPeerInventingSessionsKeepsTheDeduplicationMemoryBounded() {
    ScriptedNetworkAdapter net = new ScriptedNetworkAdapter();
    try (Repo repo = repo(net, SharePolicy.NEVER)) {
      int[] heard = new int[1];
      repo.addEphemeralListener((doc, sender, data) -> heard[0]++);
      DocumentId doc = DocumentId.random();
      int messages = Repo.MAX_EPHEMERAL_SESSIONS * 2 + 5;
      for (int i = 0; i < messages; i++) {
        net.listener.message(new RepoMessage.Ephemeral(X, PeerId.of("self"), doc, "session-" + i, 1, DATA));
        assertTrue(repo.ephemeralSessions() <= Repo.MAX_EPHEMERAL_SESSIONS, "sessions remembered after " + i);
      }
      assertEquals(messages, heard[0], "each fresh session is still heard");
    }
  }
}
