package dev.loam.bench;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.backup.Backup;
import dev.loam.backup.BackupSource;
import dev.loam.backup.BackupSummary;
import dev.loam.backup.CreateOptions;
import dev.loam.backup.VerifyReport;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The backup figures of issue 13: a storage of generated documents (each a text of about
 * {@code docBytes} bytes written in a few changes, as an editor saves it), a full backup and its
 * verification, timed; the archive's size against the sum of the documents' own saves; then an
 * incremental backup after {@code changedPercent} % of the documents got one more edit, and the
 * chain's verification. One run per call; the storage is the caller's (in memory, SQLite or files).
 */
final class BackupBench {

  /**
   * What one run measured.
   *
   * @param documents documents backed up
   * @param savesBytes the sum of the documents' own {@code save()} sizes
   * @param full the full backup's summary
   * @param createSeconds the full backup's wall time
   * @param verifySeconds the full backup's verification time
   * @param incremental the incremental backup's summary
   * @param changed documents edited before the incremental
   * @param incrementalSeconds the incremental backup's wall time (including its verification of the parent)
   * @param verifyChainSeconds the two-archive chain's verification time
   * @param createCpu the full backup's CPU time of the whole process, every thread (seconds)
   * @param verifyCpu the full verification's CPU time of the whole process (seconds)
   * @param incrementalCpu the incremental backup's CPU time of the whole process (seconds)
   * @param verifyChainCpu the chain verification's CPU time of the whole process (seconds)
   */
  record Result(int documents, long savesBytes, BackupSummary full, double createSeconds, double verifySeconds,
                BackupSummary incremental, int changed, double incrementalSeconds, double verifyChainSeconds,
                double createCpu, double verifyCpu, double incrementalCpu, double verifyChainCpu) {}

  private final long seed;
  private final int documents;
  private final int docBytes;
  private final double changedPercent;

  BackupBench(long seed, int documents, int docBytes, double changedPercent) {
    this.seed = seed;
    this.documents = documents;
    this.docBytes = docBytes;
    this.changedPercent = changedPercent;
  }

  /** Fills {@code storage}, then backs it up into {@code dir} and verifies, timing each step. */
  Result run(StorageAdapter storage, Path dir) {
    Random random = new Random(seed);
    List<DocumentId> ids = new ArrayList<>();
    long saves = 0;
    for (int i = 0; i < documents; i++) {
      Document d = document(random);
      byte[] save = d.save();
      saves += save.length;
      DocumentId id = DocumentId.random(random);
      storage.save(StorageKey.of(id.toString(), "snapshot", "bench"), Bytes.wrap(save));
      ids.add(id);
    }
    Path full = dir.resolve("full.loambak");
    com.sun.management.OperatingSystemMXBean cpu =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long c0 = cpu.getProcessCpuTime();
    long t0 = System.nanoTime();
    BackupSummary fullSummary = Backup.create(BackupSource.of(storage), full, CreateOptions.full());
    long t1 = System.nanoTime();
    long c1 = cpu.getProcessCpuTime();
    VerifyReport fullReport = Backup.verify(List.of(full), Optional.empty());
    long t2 = System.nanoTime();
    long c2 = cpu.getProcessCpuTime();
    check(fullReport);

    int changed = (int) Math.round(documents * changedPercent / 100);
    for (int i = 0; i < changed; i++) {
      int which = (int) ((long) i * documents / Math.max(1, changed));
      StorageKey key = StorageKey.of(ids.get(which).toString(), "snapshot", "bench");
      Document d = Document.load(storage.load(key).orElseThrow().toByteArray());
      ObjId text = d.get(ObjId.ROOT, "text").map(v -> ((dev.loam.Value.Obj) v).id()).orElseThrow();
      dev.loam.Heads before = d.heads();
      d.transact(tx -> tx.spliceText(text, 0, 0, sentence(random, 80)));
      storage.save(StorageKey.of(ids.get(which).toString(), "incremental", "bench"), Bytes.wrap(d.saveSince(before)));
    }
    Path incr = dir.resolve("incremental.loambak");
    long c3 = cpu.getProcessCpuTime();
    long t3 = System.nanoTime();
    BackupSummary incrSummary = Backup.create(BackupSource.of(storage), incr, CreateOptions.full().withSince(List.of(full)));
    long t4 = System.nanoTime();
    long c4 = cpu.getProcessCpuTime();
    VerifyReport chainReport = Backup.verify(List.of(full, incr), Optional.empty());
    long t5 = System.nanoTime();
    long c5 = cpu.getProcessCpuTime();
    check(chainReport);
    return new Result(documents, saves, fullSummary, (t1 - t0) / 1e9, (t2 - t1) / 1e9, incrSummary, changed,
        (t4 - t3) / 1e9, (t5 - t4) / 1e9, (c1 - c0) / 1e9, (c2 - c1) / 1e9,
        (c4 - c3) / 1e9, (c5 - c4) / 1e9);
  }

  private static void check(VerifyReport r) {
    if (!r.ok()) {
      throw new IllegalStateException("the benchmark's own archive failed verification: " + r.faults());
    }
  }

  /**
   * A text document whose save is about {@code docBytes} bytes, typed in a few changes: random
   * letters compress to about two thirds in Automerge's columns, so it holds 3/2 as many characters.
   */
  private Document document(Random random) {
    Document d = Document.create(ActorId.random());
    ObjId[] text = new ObjId[1];
    d.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    d.transact(tx -> tx.put(ObjId.ROOT, "title", sentence(random, 40)));
    int parts = 4;
    int length = 0;
    for (int p = 0; p < parts; p++) {
      String s = sentence(random, docBytes * 3 / 2 / parts);
      int at = length == 0 ? 0 : random.nextInt(length);
      d.transact(tx -> tx.spliceText(text[0], at, 0, s));
      length += s.length();
    }
    return d;
  }

  /**
   * {@code chars} characters of made-up words (random letters, so that Automerge's column
   * compression leaves a save of about the text's size, as with real prose in several languages).
   */
  private static String sentence(Random random, int chars) {
    StringBuilder sb = new StringBuilder(chars + 12);
    while (sb.length() < chars) {
      int word = 2 + random.nextInt(8);
      for (int i = 0; i < word; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      sb.append(random.nextInt(12) == 0 ? ". " : " ");
    }
    return sb.substring(0, chars);
  }
}
