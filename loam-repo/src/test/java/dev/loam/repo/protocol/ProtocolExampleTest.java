package dev.loam.repo.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.loam.repo.id.PeerId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.repo.protocol}'s Javadoc: a message to CBOR and back. */
class ProtocolExampleTest {
  @Test
  void aJoinMessageRoundTripsThroughItsFrame() {
    // @start region="example"
    RepoMessage join = new RepoMessage.Join(PeerId.of("laptop"), PeerMetadata.EPHEMERAL, List.of("1"));
    byte[] frame = join.encode();                     // one CBOR map, as automerge-repo sends it
    RepoMessage read = RepoMessage.decode(frame);
    if (read instanceof RepoMessage.Join j) {         // a sealed set: switch or match on the type
      System.out.println(j.senderId() + " speaks " + j.supportedProtocolVersions().orElseThrow());
    }
    // @end
    RepoMessage.Join j = assertInstanceOf(RepoMessage.Join.class, read);
    assertEquals(join, read);
    assertEquals("join", read.type());
    assertEquals(Optional.of(List.of("1")), j.supportedProtocolVersions());
  }
}
