package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.internal.StorageSubsystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A storage folder is shared with JS: a JS automerge-repo 2.5.6 {@code Repo} with
 * {@code NodeFSStorageAdapter} (js/repo-storage.mjs) opens what Loam's
 * {@link FileSystemStorageAdapter} wrote, and Loam opens what JS wrote, with the same heads, JSON
 * and storage id, over several rounds of edits on both sides.
 */
class RepoStorageFolderTest {
  @TempDir Path folder;

  @Test
  void aFolderWrittenByJsOpensInLoamAndTheOtherWayRound() {
    Path data = folder.resolve("data");
    JsonNode js = node("create", data.toString(), "6");
    DocumentId id = DocumentId.parse(js.get("documentId").asString());

    for (int round = 0; round < 3; round++) {
      // Loam opens the folder as JS left it.
      try (FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(data)) {
        StorageSubsystem storage = new StorageSubsystem(fs);
        assertEquals(js.get("storageId").asString(), storage.id().value(), "one storage id for both");
        Document doc = storage.loadDoc(id).orElseThrow();
        assertEquals(hexHeads(js), heads(doc), "round " + round + ": Loam sees JS's heads");
        assertEquals(js.get("json"), NodeDriver.JSON.readTree(doc.toJson()), "round " + round + ": Loam sees JS's JSON");
        ObjId items = ((dev.loam.Value.Obj) doc.get(ObjId.ROOT, "items").orElseThrow()).id();
        for (int i = 0; i < 5 + round * 40; i++) {
          doc.insert(items, doc.length(items), ScalarValue.of("loam " + round + "." + i));
          doc.put(ObjId.ROOT, "loam", ScalarValue.of(i));
          doc.commit();
          storage.saveDoc(id, doc);
        }
        // JS opens the folder as Loam left it, edits, flushes.
        js = node("edit", data.toString(), id.toString(), "3");
        JsonNode loamJson = NodeDriver.JSON.readTree(doc.toJson());
        assertEquals(loamJson.get("loam"), js.get("json").get("loam"), "JS sees Loam's last put");
        assertTrue(js.get("json").get("items").size() >= loamJson.get("items").size(), "JS sees Loam's inserts");
      }
    }
  }

  @Test
  void aDocumentLoamCreatesOpensInJsWithTheSnapshotKeyJsWouldUse() throws IOException {
    Path data = folder.resolve("data");
    DocumentId id = DocumentId.random();
    Document doc = Document.create();
    try (FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(data)) {
      StorageSubsystem storage = new StorageSubsystem(fs);
      doc.put(ObjId.ROOT, "title", ScalarValue.of("from loam"));
      ObjId list = doc.putObject(ObjId.ROOT, "items", ObjType.LIST);
      doc.commit();
      storage.saveDoc(id, doc);
      for (int i = 0; i < 300; i++) {
        doc.insert(list, i, ScalarValue.of("loam " + i));
        doc.commit();
        storage.saveDoc(id, doc);
      }
      storage.id();
    }
    Path snapshots = data.resolve(id.toString().substring(0, 2)).resolve(id.toString().substring(2)).resolve("snapshot");
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(snapshots)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertTrue(names.stream().allMatch(n -> n.matches("[0-9a-f]{64}")), names.toString());

    JsonNode js = node("edit", data.toString(), id.toString(), "2");
    assertEquals("from loam", js.get("json").get("title").asString());
    assertEquals(300 + 2, js.get("json").get("items").size());
    String storageId = Files.readString(data.resolve("st").resolve("orage-adapter-id"), StandardCharsets.UTF_8);
    assertEquals(storageId, js.get("storageId").asString());

    // JS's own compaction names its snapshot by the heads hash: recompute it from what Loam loads.
    try (FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(data)) {
      Document back = new StorageSubsystem(fs).loadDoc(id).orElseThrow();
      assertEquals(hexHeads(js), heads(back));
    }
    Path fresh = folder.resolve("fresh");
    JsonNode created = node("create", fresh.toString(), "0");
    DocumentId jsId = DocumentId.parse(created.get("documentId").asString());
    Path jsSnapshots = fresh.resolve(jsId.toString().substring(0, 2)).resolve(jsId.toString().substring(2)).resolve("snapshot");
    try (Stream<Path> s = Files.list(jsSnapshots)) {
      List<String> jsNames = s.map(p -> p.getFileName().toString()).toList();
      Heads jsHeads = Heads.of(hexHeads(created).stream().map(ChangeHash::fromHex).toList());
      assertEquals(List.of(StorageSubsystem.headsHash(jsHeads)), jsNames, "Loam's headsHash is JS's");
    }
  }

  private static List<String> heads(Document doc) {
    return doc.heads().hashes().stream().map(ChangeHash::hex).sorted().toList();
  }

  private static List<String> hexHeads(JsonNode js) {
    List<String> out = new ArrayList<>();
    js.get("heads").forEach(h -> out.add(h.asString()));
    return out;
  }

  /** Runs js/repo-storage.mjs and returns its JSON line; skipped locally without node_modules. */
  private static JsonNode node(String... args) {
    Path dir = NodeDriver.moduleDir();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge-repo-storage-nodefs"))) {
      String msg = "node_modules lacks automerge-repo-storage-nodefs in " + dir + ": run `npm ci` there";
      if (ci) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("loam.node", "node"), "js/repo-storage.mjs"));
    cmd.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("loam-repo-storage", ".log");
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("node " + String.join(" ", args) + " failed: " + Files.readString(err));
      }
      return NodeDriver.JSON.readTree(out);
    } catch (IOException e) {
      throw new AssertionError("cannot run node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
