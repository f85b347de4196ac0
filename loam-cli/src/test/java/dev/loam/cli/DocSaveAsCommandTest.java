package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.internal.codec.ChunkReader;
import dev.loam.internal.codec.ChunkType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocSaveAsCommandTest {
  @TempDir Path dir;

  @Test
  void compactsChangeChunksIntoTheDocumentChunkAutomergeJsSaves() {
    Path out = dir.resolve("out.automerge");
    Cli.run("doc", "save-as", Cli.fixture(dir, "basic.change.bin"), out).ok();
    assertArrayEquals(Cli.bytes(Cli.fixture(dir, "basic.doc.automerge")), Cli.bytes(out));
  }

  @Test
  void compactsADocumentFollowedByAChangeIntoOneDocumentChunk() {
    Path in = Cli.fixture(dir, "incremental.concat.automerge");
    byte[] before = Cli.bytes(in);
    Path out = dir.resolve("out.automerge");
    assertEquals("", Cli.run("doc", "save-as", in, out).ok());
    var chunks = ChunkReader.readAll(Cli.bytes(out));
    assertEquals(1, chunks.size());
    assertEquals(ChunkType.DOCUMENT, chunks.get(0).type());
    assertEquals(Cli.run("doc", "json", in).ok(), Cli.run("doc", "json", out).ok());
    assertEquals(Cli.run("doc", "heads", in).ok(), Cli.run("doc", "heads", out).ok());
    assertArrayEquals(before, Cli.bytes(in), "the input is untouched");
  }

  @Test
  void keepsChangesWaitingForDependenciesAsTrailingChangeChunks() throws Exception {
    Document doc = Document.create();
    doc.put(dev.loam.ObjId.ROOT, "a", dev.loam.ScalarValue.of(1));
    doc.commit();
    byte[] first = doc.saveIncremental();
    doc.put(dev.loam.ObjId.ROOT, "b", dev.loam.ScalarValue.of(2));
    doc.commit();
    byte[] second = doc.saveIncremental();
    Path in = Files.write(dir.resolve("orphan.bin"), second); // its dependency is missing
    Path out = dir.resolve("out.automerge");
    Cli.run("doc", "save-as", in, out).ok();
    var chunks = ChunkReader.readAll(Cli.bytes(out));
    assertEquals(2, chunks.size());
    assertEquals(ChunkType.DOCUMENT, chunks.get(0).type());
    assertEquals(ChunkType.CHANGE, chunks.get(1).type());
    // With the missing change the orphan applies.
    Path both = dir.resolve("both.bin");
    Files.write(both, first);
    Files.write(both, Cli.bytes(out), java.nio.file.StandardOpenOption.APPEND);
    assertEquals("{\"a\":1,\"b\":2}\n", Cli.run("doc", "json", both).ok());
  }

  @Test
  void rejectsATornFile() {
    byte[] whole = Cli.bytes(Cli.fixture(dir, "incremental.concat.automerge"));
    Path torn = dir.resolve("torn");
    try {
      Files.write(torn, java.util.Arrays.copyOf(whole, whole.length - 5));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path out = dir.resolve("out.automerge");
    assertTrue(Cli.run("doc", "save-as", torn, out).failed().contains("ends inside the chunk"));
    assertFalse(Files.exists(out));
  }

  @Test
  void mayCompactAFileInPlace() {
    Path in = Cli.fixture(dir, "incremental.concat.automerge");
    String json = Cli.run("doc", "json", in).ok();
    Cli.run("doc", "save-as", in, in).ok();
    assertEquals(1, ChunkReader.readAll(Cli.bytes(in)).size());
    assertEquals(json, Cli.run("doc", "json", in).ok());
  }

  @Test
  void rejectsAnInvalidFileWithOneLineAndWritesNothing() {
    Path junk = Cli.write(dir.resolve("junk"), "not automerge");
    Path out = dir.resolve("out.automerge");
    String err = Cli.run("doc", "save-as", junk, out).failed();
    assertTrue(err.startsWith("loam: ") && err.contains("junk"), err);
    assertFalse(Files.exists(out));
    assertTrue(Cli.run("doc", "save-as", dir.resolve("missing"), out).failed().contains("no such file"));
    assertEquals(2, Cli.run("doc", "save-as", junk).code());
  }
}
