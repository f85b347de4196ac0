package dev.loam.repo.testing;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class FakeNetworkTest {
  private static final DocumentId DOC = DocumentId.parse("paDvPLpbtauLzSphGAQpT65EzH9");

  @Test
  void messagesArriveOnlyWhenDeliveredAndJoinsGoToEveryone() {
    FakeNetwork net = FakeNetwork.reliable();
    List<RepoMessage> atB = new ArrayList<>();
    List<RepoMessage> atC = new ArrayList<>();
    FakeNetwork.Endpoint a = net.join(PeerId.of("a"), m -> { });
    net.join(PeerId.of("b"), atB::add);
    net.join(PeerId.of("c"), atC::add);
    a.send(new RepoMessage.Join(PeerId.of("a"), PeerMetadata.EPHEMERAL, List.of("1")));
    a.send(new RepoMessage.Sync(PeerId.of("a"), PeerId.of("b"), DOC, Bytes.fromHex("4200")));
    assertEquals(0, atB.size());
    assertEquals(3, net.deliverAll(100));
    assertEquals(2, atB.size());
    assertInstanceOf(RepoMessage.Sync.class, atB.get(1));
    assertEquals(1, atC.size());
  }

  @Test
  void theSameSeedGivesTheSameDeliveries() {
    assertEquals(run(42), run(42));
  }

  @Test
  void aPartitionDropsMessagesUntilHealed() {
    FakeNetwork net = FakeNetwork.reliable();
    List<RepoMessage> atB = new ArrayList<>();
    FakeNetwork.Endpoint a = net.join(PeerId.of("a"), m -> { });
    net.join(PeerId.of("b"), atB::add);
    net.partition(PeerId.of("a"), PeerId.of("b"));
    a.send(new RepoMessage.DocUnavailable(PeerId.of("a"), PeerId.of("b"), DOC));
    net.deliverAll(10);
    net.heal();
    a.send(new RepoMessage.DocUnavailable(PeerId.of("a"), PeerId.of("b"), DOC));
    net.deliverAll(10);
    assertEquals(1, atB.size());
  }

  private static List<Long> run(long seed) {
    FakeNetwork net = FakeNetwork.builder(seed).reorder(true).dropRate(0.2).duplicateRate(0.2).build();
    List<Long> seen = new ArrayList<>();
    FakeNetwork.Endpoint a = net.join(PeerId.of("a"), m -> { });
    net.join(PeerId.of("b"), m -> seen.add(((RepoMessage.Ephemeral) m).count()));
    for (int i = 0; i < 50; i++) {
      a.send(new RepoMessage.Ephemeral(PeerId.of("a"), PeerId.of("b"), DOC, "s", i, Bytes.fromHex("a0")));
    }
    net.deliverAll(1000);
    return seen;
  }
}
