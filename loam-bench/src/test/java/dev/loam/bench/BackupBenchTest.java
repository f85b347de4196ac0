package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short run of the backup benchmark: the counts it reports are those it was asked for. */
class BackupBenchTest {
  @TempDir Path dir;

  @Test
  void aSmallRunBacksUpEveryDocumentAndTheIncrementalHoldsOnlyTheChangedOnes() {
    BackupBench.Result r = new BackupBench(7, 100, 2_000, 10).run(new InMemoryStorageAdapter(), dir);
    assertEquals(100, r.full().documents());
    assertEquals(100, r.full().full());
    assertEquals(10, r.changed());
    assertEquals(10, r.incremental().incremental());
    assertEquals(90, r.incremental().unchanged());
    assertTrue(r.incremental().bytes() < r.full().bytes() / 5, r.incremental().bytes() + " vs " + r.full().bytes());
    String report = BackupBenchCommand.report(r, "memory", "0.00");
    assertTrue(report.contains("| create full, wall time | "), report);
  }
}
