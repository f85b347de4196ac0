package dev.loam.repo;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network adapter a test drives: the test reports peers and messages through {@link #listener},
 * and reads what the repo sent in {@link #sent}. Thread-safe for the repo's threads.
 */
final class ScriptedNetworkAdapter implements NetworkAdapter {
  Listener listener;
  final List<RepoMessage> sent = new CopyOnWriteArrayList<>();

  @Override public void connect(PeerId self, PeerMetadata metadata, Listener l) {
    this.listener = l;
  }

  @Override public void send(RepoMessage message) {
    sent.add(message);
  }

  @Override public void close() {}

  /** Reports each of {@code peers} connected, as ephemeral peers. */
  void connected(PeerId... peers) {
    for (PeerId p : peers) {
      listener.peerCandidate(p, PeerMetadata.EPHEMERAL);
    }
  }

  /** What the repo sent {@code peer} about {@code id} since the last call, now forgotten. */
  List<RepoMessage.DocMessage> take(PeerId peer, DocumentId id) {
    List<RepoMessage.DocMessage> out = new ArrayList<>();
    for (RepoMessage m : sent) {
      if (m instanceof RepoMessage.DocMessage d && d.targetId().equals(peer) && d.documentId().equals(id)) {
        out.add(d);
      }
    }
    sent.removeAll(out);
    return out;
  }
}
