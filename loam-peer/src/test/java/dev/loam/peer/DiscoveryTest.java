package dev.loam.peer;

import static dev.loam.peer.PeerTesting.append;
import static dev.loam.peer.PeerTesting.await;
import static dev.loam.peer.PeerTesting.awaitEvent;
import static dev.loam.peer.PeerTesting.awaitPeer;
import static dev.loam.peer.PeerTesting.events;
import static dev.loam.peer.PeerTesting.peer;
import static dev.loam.peer.PeerTesting.whenRepoHas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loam.repo.DocHandle;
import dev.loam.repo.id.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * Peers that find each other through a {@link Discovery} connect once per pair (the peer whose id
 * sorts first dials), sync, and notice a peer leaving. The in-memory discovery stands in for
 * multicast, which CI machines often drop; {@link #twoPeersFindEachOtherByMulticastDns} uses the real
 * thing when {@code -Dloam.test.multicast=true}.
 */
class DiscoveryTest {

  @Test
  void threeDiscoveredPeersConnectOncePerPairSyncAndSeeOneLeave() {
    InMemoryDiscovery lan = new InMemoryDiscovery("127.0.0.1");
    BlockingQueue<LoamPeer.Event> ea = events();
    BlockingQueue<LoamPeer.Event> eb = events();
    BlockingQueue<LoamPeer.Event> ec = events();
    try (LoamPeer a = peer("peer-a", ea).discovery(lan.join()).build();
        LoamPeer c = peer("peer-c", ec).discovery(lan.join()).build()) {
      LoamPeer b = peer("peer-b", eb).discovery(lan.join()).build();
      try {
        for (String[] pair : new String[][] {{"peer-a", "peer-b"}, {"peer-a", "peer-c"}, {"peer-b", "peer-c"}}) {
          awaitPeer(repoOf(pair[0], a, b, c), pair[1]);
          awaitPeer(repoOf(pair[1], a, b, c), pair[0]);
        }
        // a dials b and c, b dials c: each peer's connections in each direction, from its events
        assertEquals(List.of(Set.of("peer-b", "peer-c"), Set.of()), directions(ea, 2));
        assertEquals(List.of(Set.of("peer-c"), Set.of("peer-a")), directions(eb, 2));
        assertEquals(List.of(Set.of(), Set.of("peer-a", "peer-b")), directions(ec, 2));

        DocHandle atC = c.repo().create();
        var aHasIt = whenRepoHas(a.repo(), atC);
        append(atC, "found you");
        DocHandle atA = await("a receives c's document", aHasIt);
        assertEquals("{\"items\":[\"found you\"]}", atA.toJson());
      } finally {
        b.close();
      }
      awaitEvent("a loses b", ea, e -> e instanceof LoamPeer.Event.Lost l && l.peerId().value().equals("peer-b"));
      awaitEvent("a's connection to b ends", ea,
          e -> e instanceof LoamPeer.Event.Disconnected d && d.peerId().value().equals("peer-b"));
      awaitEvent("c loses b", ec, e -> e instanceof LoamPeer.Event.Lost l && l.peerId().value().equals("peer-b"));
      assertEquals(Set.of(PeerId.of("peer-c")), a.repo().peers().keySet(), "a still has c");
    }
  }

  @Test
  void twoPeersFindEachOtherByMulticastDns() {
    assumeTrue(Boolean.getBoolean("loam.test.multicast"), "set -Dloam.test.multicast=true to use the LAN");
    try (LoamPeer a = peer("peer-a", events()).host("0.0.0.0").discovery(MdnsDiscovery.create()).build();
        LoamPeer b = peer("peer-b", events()).host("0.0.0.0").discovery(MdnsDiscovery.create()).build()) {
      awaitPeer(a.repo(), "peer-b");
      awaitPeer(b.repo(), "peer-a");
      DocHandle atB = b.repo().create();
      var aHasIt = whenRepoHas(a.repo(), atB);
      append(atB, "over multicast");
      await("a receives b's document", aHasIt);
    }
  }

  /** The peers of the first {@code n} connections in {@code events}: [outgoing, incoming]. */
  private static List<Set<String>> directions(BlockingQueue<LoamPeer.Event> events, int n) {
    Set<String> out = new HashSet<>();
    Set<String> in = new HashSet<>();
    for (int i = 0; i < n; i++) {
      LoamPeer.Event.Connected c = (LoamPeer.Event.Connected) awaitEvent("connection " + (i + 1), events,
          e -> e instanceof LoamPeer.Event.Connected);
      (c.incoming() ? in : out).add(c.peerId().value());
    }
    return List.of(out, in);
  }

  private static dev.loam.repo.Repo repoOf(String name, LoamPeer... peers) {
    for (LoamPeer p : peers) {
      if (p.repo().peerId().value().equals(name)) {
        return p.repo();
      }
    }
    throw new IllegalArgumentException(name);
  }
}
