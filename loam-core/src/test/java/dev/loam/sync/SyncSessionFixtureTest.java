package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.internal.doc.Engines;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replays the two-peer session recorded with Automerge JS 3.5.0 ({@code js-generated/sync-session.json}). */
class SyncSessionFixtureTest {
  private static final HexFormat HEX = HexFormat.of();
  private final Map<String, Object> session = SyncTesting.json("js-generated/sync-session.json");

  @Test
  void replaying_the_js_session_produces_the_same_messages_and_sync_states() {
    Document a = Document.load(HEX.parseHex((String) session.get("initialDocA")));
    Document b = Document.load(HEX.parseHex((String) session.get("initialDocB")));
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();
    List<?> messages = (List<?>) session.get("messages");
    for (Object o : messages) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      boolean fromA = m.get("from").equals("a");
      byte[] expected = HEX.parseHex((String) m.get("hex"));
      SyncMessage ours = Sync.generateSyncMessage(fromA ? a : b, fromA ? sa : sb).orElseThrow();
      SyncMessage theirs = SyncMessage.decode(expected);
      if (theirs.changes().isEmpty()) {
        assertEquals(HEX.formatHex(expected), HEX.formatHex(ours.encode()), "message " + messages.indexOf(o));
      } else {
        assertEquals(withoutChanges(theirs), withoutChanges(ours));
        assertEquals(loaded(theirs), loaded(ours), "the changes load to the same document");
      }
      Sync.receiveSyncMessage(fromA ? b : a, fromA ? sb : sa, ours.encode());
    }
    assertEquals(Optional.empty(), Sync.generateSyncMessage(a, sa));
    assertEquals(Optional.empty(), Sync.generateSyncMessage(b, sb));
    assertEquals(Heads.parse(String.join(",", SyncTesting.hexList(session.get("finalHeads")))), a.heads());
    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
    assertEquals(session.get("encodedSyncStateA"), HEX.formatHex(sa.encode()));
    assertEquals(session.get("encodedSyncStateB"), HEX.formatHex(sb.encode()));
  }

  /** Loam's save() is byte-identical to JS's, so even the whole-document messages match exactly. */
  @Test
  void whole_document_messages_also_match_byte_for_byte() {
    Document a = Document.load(HEX.parseHex((String) session.get("initialDocA")));
    Document b = Document.load(HEX.parseHex((String) session.get("initialDocB")));
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();
    int same = 0;
    for (Object o : (List<?>) session.get("messages")) {
      Map<?, ?> m = (Map<?, ?>) o;
      boolean fromA = m.get("from").equals("a");
      byte[] ours = Sync.generateSyncMessage(fromA ? a : b, fromA ? sa : sb).orElseThrow().encode();
      if (HEX.formatHex(ours).equals(m.get("hex"))) {
        same++;
      }
      Sync.receiveSyncMessage(fromA ? b : a, fromA ? sb : sa, ours);
    }
    assertEquals(4, same);
  }

  @Test
  void bloom_filters_match_js() {
    Map<?, ?> first = (Map<?, ?>) ((List<?>) session.get("messages")).get(0);
    Map<?, ?> second = (Map<?, ?>) ((List<?>) session.get("messages")).get(1);
    String bloomA = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) first.get("decoded")).get("have")).get(0)).get("bloom");
    String bloomB = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) second.get("decoded")).get("have")).get(0)).get("bloom");
    BloomFilter a = BloomFilter.of(hashes("changeHashesA"));
    BloomFilter b = BloomFilter.of(hashes("changeHashesB"));
    assertEquals("020a07544b93", bloomA);
    assertEquals(bloomA, HEX.formatHex(a.encode()));
    assertEquals(bloomB, HEX.formatHex(b.encode()));
    for (ChangeHash h : hashes("changeHashesA")) {
      assertTrue(a.contains(h));
    }
    assertEquals(a, BloomFilter.decode(a.encode()));
    assertArrayEquals(HEX.parseHex(bloomB), BloomFilter.decode(HEX.parseHex(bloomB)).encode());
  }

  @Test
  void every_recorded_message_reencodes_to_its_bytes() {
    for (Object o : (List<?>) session.get("messages")) {
      byte[] bytes = HEX.parseHex((String) ((Map<?, ?>) o).get("hex"));
      assertArrayEquals(bytes, SyncMessage.decode(bytes).encode());
    }
  }

  private List<ChangeHash> hashes(String key) {
    return SyncTesting.hexList(session.get(key)).stream().map(ChangeHash::fromHex).toList();
  }

  private static SyncMessage withoutChanges(SyncMessage m) {
    return new SyncMessage(m.version(), m.heads(), m.need(), m.have(), List.of(), m.flags());
  }

  private static String loaded(SyncMessage m) {
    Document d = Document.create();
    d.loadIncremental(m.joinedChanges());
    return d.heads() + " " + d.toJson() + " " + Engines.of(d).changeCount();
  }

}
