package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of incrementals restores, after every link, exactly the state a plain model of the
 * edits says (documents, keys and values; removed documents stay removed), and the same state as a
 * full backup taken at the same moment, with the same heads.
 */
class IncrementalChainTest {
  @TempDir Path dir;

  @Test
  void everyPrefixOfTheChainRestoresTheModelAndTheFullBackupOfItsMoment() {
    TestSeeds.seeds().forEach(this::run);
  }

  private void run(long seed) {
    String where = TestSeeds.seedMessage(seed);
    Random random = new Random(seed);
    Path seedDir = dir.resolve("s" + seed);
    seedDir.toFile().mkdirs();
    Map<DocumentId, Map<String, String>> model = new TreeMap<>();
    List<Path> chain = new ArrayList<>();
    try (Repo repo = Fixtures.repo(new InMemoryStorageAdapter())) {
      Map<DocumentId, DocHandle> handles = new HashMap<>();
      for (int round = 0; round < 5; round++) {
        int edits = random.nextInt(12);
        for (int e = 0; e < edits; e++) {
          int op = random.nextInt(10);
          List<DocumentId> ids = new ArrayList<>(model.keySet());
          if (op < 3 || ids.isEmpty()) {
            DocHandle h = repo.create();
            handles.put(h.documentId(), h);
            model.put(h.documentId(), new TreeMap<>());
          } else if (op < 9) {
            DocumentId id = ids.get(random.nextInt(ids.size()));
            String key = "k" + random.nextInt(4);
            String value = "v" + random.nextInt(1000);
            Fixtures.put(handles.get(id), key, value);
            model.get(id).put(key, value);
          } else {
            DocumentId id = ids.get(random.nextInt(ids.size()));
            repo.delete(id);
            handles.remove(id);
            model.remove(id);
          }
        }
        Path incr = seedDir.resolve("chain-" + round + ".loambak");
        BackupSummary s = Backup.create(BackupSource.of(repo), incr, CreateOptions.full().withSince(List.copyOf(chain)));
        chain.add(incr);
        assertEquals(round == 0, s.parentId().isEmpty(), where);
        Path full = seedDir.resolve("full-" + round + ".loambak");
        Backup.create(BackupSource.of(repo), full, CreateOptions.full());

        BackupContents viaChain = Backup.read(chain, RestoreOptions.merge());
        BackupContents viaFull = Backup.read(List.of(full), RestoreOptions.merge());
        assertModel(model, viaChain, where + ", round " + round);
        assertEquals(heads(viaFull), heads(viaChain), where + ", round " + round + ": chain and full heads");
        VerifyReport report = Backup.verify(chain, Optional.empty());
        assertTrue(report.ok(), where + ": " + report.faults());
      }
      // and restored into storage, a repo opens the model
      InMemoryStorageAdapter target = new InMemoryStorageAdapter();
      Backup.restore(chain, target, RestoreOptions.merge());
      assertEquals(model.keySet(), Fixtures.plainIds(target), where);
    }
  }

  private static void assertModel(Map<DocumentId, Map<String, String>> model, BackupContents got, String where) {
    assertEquals(model.keySet(), got.plain().stream().map(BackupContents.Plain::id).collect(Collectors.toSet()), where);
    for (BackupContents.Plain p : got.plain()) {
      Document doc = Document.load(p.save().toByteArray());
      Map<String, String> expected = model.get(p.id());
      assertEquals(expected.keySet(), Set.copyOf(doc.keys(ObjId.ROOT)), where + ": document " + p.id());
      expected.forEach((k, v) -> assertEquals(Optional.of(ScalarValue.of(v)), doc.get(ObjId.ROOT, k), where + ": " + p.id() + " " + k));
    }
  }

  private static Map<DocumentId, String> heads(BackupContents c) {
    Map<DocumentId, String> out = new TreeMap<>();
    c.plain().forEach(p -> out.put(p.id(), p.heads().toString()));
    return out;
  }
}
