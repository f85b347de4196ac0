package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every fixture against the JS 3.5.0 oracle (expected-js-load.json, js-generated/manifest.json). */
class FixtureLoadTest {

  @TestFactory
  @SuppressWarnings("unchecked")
  List<DynamicTest> everyFixtureLoadsOrFailsAsJsDoes() {
    Map<String, Object> expected = Fixtures.json("expected-js-load.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (var e : expected.entrySet()) {
      Map<String, Object> exp = (Map<String, Object>) e.getValue();
      if (Boolean.TRUE.equals(exp.get("syncMessage"))) {
        continue; // slowSyncMessage.amrgsync is a sync message, not a file
      }
      String name = e.getKey();
      tests.add(DynamicTest.dynamicTest(name, () -> {
        byte[] file = Fixtures.bytes(Fixtures.resourcePath(name));
        if (Boolean.TRUE.equals(exp.get("loads"))) {
          Fixtures.Loaded loaded = Fixtures.load(file);
          assertEquals(((Number) exp.get("numChanges")).intValue(), loaded.changes().size(), name + " change count");
          List<ChangeHash> heads = ((List<String>) exp.get("heads")).stream().map(ChangeHash::fromHex).sorted().toList();
          assertEquals(heads, loaded.heads(), name + " heads");
        } else {
          DecodeException ex = assertThrows(DecodeException.class, () -> Fixtures.load(file), name);
          assertNotNull(ex.getMessage());
        }
      }));
    }
    return tests;
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsGeneratedFilesRebuildTheirManifestHeads() {
    Map<String, Object> manifest = Fixtures.json("js-generated/manifest.json");
    String[][] files = {
      {"basic", "basic.doc.automerge"}, {"basic", "basic.change.bin"},
      {"concurrent", "concurrent.doc.automerge"}, {"concurrent", "concurrent.changes.bin"},
      {"marksScalars", "marks-scalars.doc.automerge"}, {"marksScalars", "marks-scalars.changes.bin"},
      {"longtext", "longtext.doc.automerge"}, {"incremental", "incremental.concat.automerge"},
    };
    for (String[] f : files) {
      Map<String, Object> m = (Map<String, Object>) manifest.get(f[0]);
      Fixtures.Loaded loaded = Fixtures.load(Fixtures.bytes("js-generated/" + f[1]));
      List<ChangeHash> heads = ((List<String>) m.get("heads")).stream().map(ChangeHash::fromHex).sorted().toList();
      assertEquals(heads, loaded.heads(), f[1]);
      if (m.containsKey("numChanges")) {
        assertEquals(((Number) m.get("numChanges")).intValue(), loaded.changes().size(), f[1]);
      }
      if (m.containsKey("changeHashesInFileOrder") && f[1].endsWith(".bin")) {
        List<String> order = loaded.changes().stream().map(c -> c.hash().hex()).toList();
        assertEquals(m.get("changeHashesInFileOrder"), order, f[1]);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void basicChangeDecodesToTheManifestsOps() {
    Map<String, Object> basic = (Map<String, Object>) Fixtures.json("js-generated/manifest.json").get("basic");
    Map<String, Object> dc = (Map<String, Object>) basic.get("decodedChange");
    StoredChange c = ChangeChunk.decode(Fixtures.bytes("js-generated/basic.change.bin"));
    assertEquals(dc.get("hash"), c.hash().hex());
    assertEquals(dc.get("actor"), c.author().hex());
    assertEquals(((Number) dc.get("seq")).longValue(), c.seq());
    assertEquals(((Number) dc.get("startOp")).longValue(), c.startOp());
    assertEquals(((Number) dc.get("time")).longValue(), c.time());
    assertEquals(dc.get("message"), c.message());
    List<Map<String, Object>> ops = (List<Map<String, Object>>) dc.get("ops");
    assertEquals(ops.size(), c.ops().size());
    for (int i = 0; i < ops.size(); i++) {
      Map<String, Object> e = ops.get(i);
      var op = c.ops().get(i);
      assertEquals(e.get("action"), dev.loam.internal.change.Actions.name(op.action()), "op " + i);
      String obj = op.objActor() < 0 ? "_root" : op.objCtr() + "@" + c.actors().get(op.objActor()).hex();
      assertEquals(e.get("obj"), obj, "op " + i);
      if (e.containsKey("key")) {
        assertEquals(e.get("key"), op.key(), "op " + i);
      } else {
        String elem = op.elemActor() < 0 ? "_head" : op.elemCtr() + "@" + c.actors().get(op.elemActor()).hex();
        assertEquals(e.get("elemId"), elem, "op " + i);
      }
      assertEquals(Boolean.TRUE.equals(e.get("insert")), op.insert(), "op " + i);
    }
  }

  @Test
  void emptyDocumentIsTheKnownFourteenBytes() {
    byte[] file = Fixtures.bytes("js-generated/empty.automerge");
    assertEquals("856f4a83b81a9544000400000000", Fixtures.hex(file));
    Fixtures.Loaded loaded = Fixtures.load(file);
    assertEquals(0, loaded.changes().size());
  }

  @Test
  void mondayMeetingNotesDecodesAndVerifiesQuickly() {
    byte[] file = Fixtures.bytes("upstream-rust/real-world/monday-meeting-notes.automerge");
    Fixtures.load(file); // warm-up
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      Fixtures.Loaded l = Fixtures.load(file);
      best = Math.min(best, System.nanoTime() - t0);
      assertEquals(15529, l.changes().size());
    }
    System.out.printf("monday-meeting-notes: decode + rebuild + verify 15,529 changes in %.1f ms%n", best / 1e6);
    byte[] moby = Fixtures.bytes("upstream-rust/real-world/moby-dick.automerge");
    long t0 = System.nanoTime();
    Fixtures.load(moby);
    System.out.printf("moby-dick: decode + rebuild + verify in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
  }
}
