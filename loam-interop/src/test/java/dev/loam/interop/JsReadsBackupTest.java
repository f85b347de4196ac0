package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.backup.ArchiveEntry;
import dev.loam.backup.ArchiveInfo;
import dev.loam.backup.Backup;
import dev.loam.backup.BackupSource;
import dev.loam.backup.CreateOptions;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * No lock-in: @automerge/automerge loads a backup archive's entries as they sit in the file (a
 * full entry with {@code load}, an incremental one on top of it with {@code loadIncremental}),
 * and its heads are the manifest's and its JSON is the source document's. The archive is taken
 * apart following docs/backup-format.md, without loam-backup's reader.
 */
class JsReadsBackupTest {
  private static FilesNode node;
  @TempDir Path dir;

  @BeforeAll
  static void startNode() {
    node = FilesNode.start();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void automergeJsLoadsEveryFullAndIncrementalEntryWithTheManifestsHeads() throws IOException {
    Random random = new Random(13);
    Path full = dir.resolve("full.loambak");
    Path incr = dir.resolve("incr.loambak");
    Map<DocumentId, JsonNode> jsonAtFull = new HashMap<>();
    Map<DocumentId, JsonNode> jsonAtIncr = new HashMap<>();
    try (Repo repo = Repo.builder().storage(new InMemoryStorageAdapter()).build()) {
      List<DocHandle> docs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        DocHandle h = repo.create();
        h.change(tx -> {
          ObjId text = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.spliceText(text, 0, 0, "héllo 😀 " + "lorem ipsum ".repeat(random.nextInt(60)));
          tx.put(ObjId.ROOT, "n", ScalarValue.of(random.nextInt(1000)));
        });
        docs.add(h);
        jsonAtFull.put(h.documentId(), json(h));
      }
      Backup.create(BackupSource.of(repo), full, CreateOptions.full());
      for (int i = 0; i < docs.size(); i += 2) {
        DocHandle h = docs.get(i);
        h.change(tx -> tx.put(ObjId.ROOT, "later", ScalarValue.of("an edit after the full backup")));
      }
      docs.forEach(h -> jsonAtIncr.put(h.documentId(), json(h)));
      Backup.create(BackupSource.of(repo), incr, CreateOptions.full().withSince(List.of(full)));
    }
    Map<DocumentId, byte[]> fullData = entries(Files.readAllBytes(full));
    Map<DocumentId, byte[]> incrData = entries(Files.readAllBytes(incr));
    ArchiveInfo fullInfo = Backup.list(full, Optional.empty());
    ArchiveInfo incrInfo = Backup.list(incr, Optional.empty());
    assertEquals(6, fullData.size());
    assertEquals(3, incrData.size());
    for (ArchiveEntry e : fullInfo.entries()) {
      ObjectNode args = NodeDriver.JSON.createObjectNode().put("file", hex(fullData.get(e.document())));
      JsonNode js = node.call("load", args);
      assertEquals(e.headsHex(), String.join(",", heads(js)), "document " + e.document());
      assertEquals(LoamJson.canonical(js.get("json")), LoamJson.canonical(jsonAtFull.get(e.document())), "document " + e.document());
    }
    for (ArchiveEntry e : incrInfo.entries()) {
      if (e.kind() != ArchiveEntry.Kind.INCREMENTAL) {
        assertEquals(ArchiveEntry.Kind.UNCHANGED, e.kind());
        continue;
      }
      ObjectNode args = NodeDriver.JSON.createObjectNode().put("file", hex(fullData.get(e.document())))
          .put("incr", hex(incrData.get(e.document())));
      JsonNode js = node.call("load", args);
      assertEquals(e.headsHex(), String.join(",", heads(js)), "document " + e.document());
      assertEquals(LoamJson.canonical(js.get("json")), LoamJson.canonical(jsonAtIncr.get(e.document())), "document " + e.document());
    }
  }

  private static JsonNode json(DocHandle h) {
    return h.read(d -> LoamJson.plain(d.materialize(ObjId.ROOT)));
  }

  private static List<String> heads(JsonNode js) {
    List<String> out = new ArrayList<>();
    js.get("heads").forEach(h -> out.add(h.asString()));
    out.sort(null);
    return out;
  }

  /** The entry frames' data by document, read as docs/backup-format.md lays them out (plain archives). */
  private static Map<DocumentId, byte[]> entries(byte[] file) {
    Map<DocumentId, byte[]> out = new HashMap<>();
    ByteBuffer b = ByteBuffer.wrap(file);
    assertTrue(new String(file, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("LOAMBKUP"));
    int pos = 64;
    int end = file.length - 56;
    while (pos < end) {
      int type = file[pos];
      int length = b.getInt(pos + 1);
      if (type == 1) {
        int idLength = file[pos + 5];
        DocumentId id = DocumentId.of(Arrays.copyOfRange(file, pos + 6, pos + 6 + idLength));
        int dataStart = pos + 6 + idLength + 2;
        out.put(id, Arrays.copyOfRange(file, dataStart, pos + 5 + length));
      }
      pos += 5 + length;
    }
    return out;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
