package dev.loam.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The text of a cluster's change notification: heads while they fit PostgreSQL's 8,000-byte payload, {@code *} beyond. */
class ClusterNoticeTest {
  private static final DocumentId DOC = DocumentId.random();

  private static Heads heads(int n) {
    SplittableRandom random = new SplittableRandom(n);
    List<ChangeHash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[32];
      random.nextBytes(b);
      out.add(ChangeHash.fromHex(java.util.HexFormat.of().formatHex(b)));
    }
    return Heads.of(out);
  }

  @Test
  void headsThatFitTravelAndReadBack() {
    Heads h = heads(3);
    String text = PostgresCluster.payload("node-a", 1234, DOC, h);
    assertEquals("v1 node-a 1234 " + DOC + " " + h, text);
    assertEquals(Optional.of(new PostgresCluster.Notice("node-a", 1234, DOC, h)), PostgresCluster.Notice.parse(text));
  }

  @Test
  void tooManyHeadsForThePayloadLimitTravelAsAStar() {
    String node = java.util.UUID.randomUUID().toString();
    // 65 bytes a head: 121 heads are about 7,870 bytes with the prefix, 122 pass 7,999
    int fitting = 0;
    for (int n = 100; n <= 130; n++) {
      String text = PostgresCluster.payload(node, Long.MAX_VALUE, DOC, heads(n));
      assertTrue(text.getBytes(StandardCharsets.UTF_8).length < 8000, n + " heads: " + text.length() + " bytes");
      if (!text.endsWith(" *")) {
        fitting = n;
        assertEquals(heads(n), PostgresCluster.Notice.parse(text).orElseThrow().heads());
      } else {
        assertEquals(Heads.EMPTY, PostgresCluster.Notice.parse(text).orElseThrow().heads(), "read without checking heads");
      }
    }
    int prefix = ("v1 " + node + " " + Long.MAX_VALUE + " " + DOC + " ").length();
    assertEquals((7999 - prefix + 1) / 65, fitting, "as many heads as fit, and no more");
  }

  @Test
  void textInAnotherFormIsIgnored() {
    assertEquals(Optional.empty(), PostgresCluster.Notice.parse("hello"));
    assertEquals(Optional.empty(), PostgresCluster.Notice.parse("v2 a 1 " + DOC + " *"));
    assertEquals(Optional.empty(), PostgresCluster.Notice.parse("v1 a x " + DOC + " *"));
    assertEquals(Optional.empty(), PostgresCluster.Notice.parse("v1 a 1 not-a-document *"));
    assertEquals(Optional.empty(), PostgresCluster.Notice.parse("v1 a 1 " + DOC + " zz"));
  }
}
