package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code save()} is canonical: a document loaded from a file that is one document chunk saves back
 * to the same chunk, section by section, once compressed columns are inflated; a document loaded
 * from change chunks saves to what JS saved for the same changes.
 */
class CanonicalSaveTest {

  /** Every loadable fixture that is exactly one document chunk. */
  static List<String> singleDocumentFixtures() {
    List<String> names = new ArrayList<>();
    for (var e : Fixtures.json("expected-js-load.json").entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> exp = (Map<String, Object>) e.getValue();
      if (Boolean.TRUE.equals(exp.get("loads")) && !Boolean.TRUE.equals(exp.get("syncMessage"))) {
        names.add(Fixtures.resourcePath(e.getKey()));
      }
    }
    for (String js : List.of("empty.automerge", "basic.doc.automerge", "concurrent.doc.automerge",
        "marks-scalars.doc.automerge", "longtext.doc.automerge")) {
      names.add("js-generated/" + js);
    }
    return names.stream().filter(n -> {
      List<Chunk> chunks = ChunkReader.readAll(Fixtures.bytes(n));
      return chunks.size() == 1 && chunks.get(0).type() == ChunkType.DOCUMENT;
    }).sorted().toList();
  }

  @TestFactory
  List<DynamicTest> loadingThenSavingADocumentChunkGivesTheSameChunkAfterInflation() {
    return singleDocumentFixtures().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] original = Fixtures.bytes(name);
      byte[] saved = Document.load(original).save();
      assertSameSections(original, saved, name);
    })).toList();
  }

  @TestFactory
  List<DynamicTest> changesAppliedInJsOrderSaveAsJsSaved() {
    String[][] pairs = {
      {"js-generated/basic.change.bin", "js-generated/basic.doc.automerge"},
      {"js-generated/concurrent.changes.bin", "js-generated/concurrent.doc.automerge"},
      {"js-generated/marks-scalars.changes.bin", "js-generated/marks-scalars.doc.automerge"},
    };
    List<DynamicTest> tests = new ArrayList<>();
    for (String[] p : pairs) {
      tests.add(DynamicTest.dynamicTest(p[0], () -> {
        byte[] saved = Document.load(Fixtures.bytes(p[0])).save();
        assertSameSections(Fixtures.bytes(p[1]), saved, p[0]);
      }));
    }
    return tests;
  }

  static void assertSameSections(byte[] expected, byte[] actual, String name) {
    List<Chunk> a = ChunkReader.readAll(expected);
    List<Chunk> b = ChunkReader.readAll(actual);
    assertEquals(1, b.size(), name + ": saved chunk count");
    DocumentSections x = DocumentSections.parse(a.get(0));
    DocumentSections y = DocumentSections.parse(b.get(0));
    String diff = x.diff(y);
    assertEquals("", diff, name + " (expected vs saved)");
    for (int i = 0; i < x.changeColumns().size(); i++) {
      assertEquals(x.changeColumns().get(i).deflated(), y.changeColumns().get(i).deflated(),
          name + ": deflate flag of change column " + x.changeColumns().get(i).spec());
    }
    for (int i = 0; i < x.opColumns().size(); i++) {
      assertEquals(x.opColumns().get(i).deflated(), y.opColumns().get(i).deflated(),
          name + ": deflate flag of op column " + x.opColumns().get(i).spec());
    }
  }
}
