package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring as of a time gives each document exactly the changes a plain model says: those whose
 * author's clock was at or before the time and all of whose causal past was too, even when
 * authors' clocks disagree (a change may carry an earlier time than one it depends on).
 */
class AsOfTest {
  private static final long BASE = 1_800_000_000L;
  @TempDir Path dir;

  /** The model's record of one change: its time and the indexes of the changes its replica knew. */
  private record ModelChange(long time, Set<Integer> past) {}

  @Test
  void asOfEveryTimeRestoresTheModelsCausallyCompleteCut() {
    TestSeeds.seeds().forEach(this::run);
  }

  private void run(long seed) {
    String where = TestSeeds.seedMessage(seed);
    Random random = new Random(seed);
    int replicas = 2 + random.nextInt(2);
    List<Document> docs = new ArrayList<>();
    List<Set<Integer>> known = new ArrayList<>();
    docs.add(Document.create(ActorId.random()));
    for (int r = 1; r < replicas; r++) {
      docs.add(docs.get(0).fork());
    }
    for (int r = 0; r < replicas; r++) {
      known.add(new HashSet<>());
    }
    List<ModelChange> changes = new ArrayList<>();
    int steps = 5 + random.nextInt(25);
    for (int s = 0; s < steps; s++) {
      int r = random.nextInt(replicas);
      if (random.nextInt(5) == 0) {
        int other = random.nextInt(replicas);
        docs.get(r).merge(docs.get(other));
        known.get(r).addAll(known.get(other));
        continue;
      }
      long time = BASE + random.nextInt(100); // authors' clocks: not ordered by causality
      int index = changes.size();
      changes.add(new ModelChange(time, Set.copyOf(known.get(r))));
      docs.get(r).transact(CommitOptions.DEFAULT.withTime(time), tx -> tx.put(ObjId.ROOT, "c" + index, ScalarValue.of(index)));
      known.get(r).add(index);
    }
    Document all = docs.get(0);
    for (Document d : docs) {
      all.merge(d);
    }
    DocumentId id = DocumentId.random();
    InMemoryStorageAdapter storage = new InMemoryStorageAdapter();
    storage.save(StorageKey.of(id.toString(), "snapshot", "fixture"), Bytes.wrap(all.save()));
    Path archive = dir.resolve("asof-" + seed + ".loambak");
    Backup.create(BackupSource.of(storage), archive, CreateOptions.full());

    for (long t = BASE - 1; t <= BASE + 100; t += 1 + random.nextInt(9)) {
      Set<String> expected = new TreeSet<>();
      boolean[] in = new boolean[changes.size()];
      for (int i = 0; i < changes.size(); i++) {
        boolean ok = changes.get(i).time() <= t;
        for (int p : changes.get(i).past()) {
          ok &= in[p];
        }
        in[i] = ok;
        if (ok) {
          expected.add("c" + i);
        }
      }
      BackupContents got = Backup.read(List.of(archive), RestoreOptions.merge().withAsOf(Instant.ofEpochSecond(t, 999_000_000)));
      if (expected.isEmpty()) {
        assertEquals(List.of(id), got.notYetCreated(), where + ", t=" + t);
        assertTrue(got.plain().isEmpty(), where);
      } else {
        Document d = Document.load(got.plain().get(0).save().toByteArray());
        assertEquals(expected, new TreeSet<>(d.keys(ObjId.ROOT)), where + ", t=" + t);
        assertTrue(d.missingDeps(d.heads()).isEmpty(), where);
      }
    }
  }
}
