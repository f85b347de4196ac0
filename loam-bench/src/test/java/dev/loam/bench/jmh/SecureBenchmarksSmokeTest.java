package dev.loam.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.secure.Envelope;
import dev.loam.secure.Level;
import dev.loam.secure.MemberId;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short smoke run of the secure documents' benchmarks (setup and each benchmark method once or
 * twice, at small sizes): they measure what they say, and their results are what the writer wrote.
 * The timings come from JMH only.
 */
class SecureBenchmarksSmokeTest {
  @Test
  void envelopeBenchmarksSealAndOpenWhatTheWriterTyped() {
    SecureEnvelopeBenchmark b = new SecureEnvelopeBenchmark();
    SecureEnvelopeBenchmark.Members m = new SecureEnvelopeBenchmark.Members();
    m.changes = 3;
    m.members();
    SecureEnvelopeBenchmark.Typed typed = new SecureEnvelopeBenchmark.Typed();
    typed.type(m);
    List<SecureItem> sealed = b.seal(m, typed);
    assertEquals(1, sealed.stream().filter(i -> i instanceof Envelope).count(), "one envelope for the batch");

    m = new SecureEnvelopeBenchmark.Members(); // JMH gives each benchmark method its own state
    m.changes = 3;
    m.members();
    SecureEnvelopeBenchmark.Sealed s = new SecureEnvelopeBenchmark.Sealed();
    s.typeAndSeal(m);
    assertEquals(s.envelope.size(), b.receive(m, s).size(), "the reader admits the fresh envelope");
    b.receivePlain(m, s);
    ObjId text = m.typist.text();
    assertEquals("kkk", m.reader.document().text(text));
    assertEquals(m.typist.doc().document().text(text), m.reader.document().text(text));
  }

  @Test
  void membershipRebuildListsTheMembersOfALogOfTheAskedSize() {
    MembershipRebuildBenchmark b = new MembershipRebuildBenchmark();
    b.members = 30;
    b.ops = 120;
    b.log();
    List<SecureItem> items = b.encoded.stream().map(SecureItem::decode).toList();
    assertEquals(120, items.stream().filter(i -> i instanceof MembershipOp).count(), "the asked number of ops");
    Map<MemberId, Level> members = b.rebuild();
    assertTrue(members.size() > 1 && members.size() <= 30, "members: " + members.size());
    assertTrue(members.containsValue(Level.ADMIN), "the root admin");
  }

  @Test
  void firstSyncMaterializesTheWholeText() {
    SecureFirstSyncBenchmark b = new SecureFirstSyncBenchmark();
    b.changes = 1_000;
    b.perEnvelope = 100;
    b.write();
    List<SecureItem> items = b.encoded.stream().map(SecureItem::decode).toList();
    assertTrue(items.stream().filter(i -> i instanceof Envelope).count() <= 11, "1,000 changes in at most 10 envelopes and the first");
    Document secure = b.firstSync();
    Document plain = b.firstSyncPlain();
    assertEquals("k".repeat(1_000), secure.text(text(secure)));
    assertEquals(plain.toJson(), secure.toJson());
    assertEquals(plain.toJson(), b.firstSyncPlainLoad().toJson());
  }

  @Test
  void keystrokesArriveThroughTheServerOnBothPaths() throws Exception {
    SecureKeystrokeBenchmark b = new SecureKeystrokeBenchmark();
    b.start();
    try {
      assertEquals(1, b.secureKeystroke());
      assertEquals(2, b.secureKeystroke());
      assertTrue(b.plainKeystroke().peer().isPresent(), "heard from the server");
      assertTrue(b.plainKeystroke().peer().isPresent(), "heard from the server");
    } finally {
      b.stop();
    }
  }

  private static ObjId text(Document d) {
    return ((dev.loam.Value.Obj) d.get(ObjId.ROOT, "text").orElseThrow()).id();
  }
}
