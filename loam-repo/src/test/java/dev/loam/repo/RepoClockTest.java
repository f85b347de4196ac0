package dev.loam.repo;

import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The repo's clock times every local change, whichever way the document came into the repo. */
class RepoClockTest {
  private static final Instant THEN = Instant.parse("2001-02-03T04:05:06Z");
  private static final InstantSource FAKE = InstantSource.fixed(THEN);

  private static long timeOf(DocHandle h, ChangeHash hash) {
    return h.read(d -> d.change(hash).map(Change::time).orElseThrow());
  }

  private static ChangeHash edit(DocHandle h) {
    return h.change(tx -> tx.put(ObjId.ROOT, "k", ScalarValue.of("v"))).orElseThrow();
  }

  @Test
  void aDocumentCreatedHereTakesTheRepoClock() {
    try (Repo repo = Repo.builder().clock(FAKE).build()) {
      DocHandle h = repo.create();
      assertEquals(THEN.getEpochSecond(), timeOf(h, edit(h)));
    }
  }

  @Test
  void aDocumentLoadedFromStorageTakesTheRepoClock() {
    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    DocumentId id;
    try (Repo first = Repo.builder().storage(disk).build()) {
      DocHandle h = first.create();
      append(h, "x");
      id = h.documentId();
    }
    try (Repo again = Repo.builder().storage(disk).clock(FAKE).build()) {
      DocHandle h = ready(again.find(id));
      assertEquals(THEN.getEpochSecond(), timeOf(h, edit(h)));
    }
  }

  @Test
  void anImportedDocumentTakesTheRepoClock() {
    byte[] saved;
    try (Repo first = Repo.builder().build()) {
      DocHandle h = first.create();
      append(h, "x");
      saved = h.read(d -> d.save());
    }
    try (Repo repo = Repo.builder().clock(FAKE).build()) {
      DocHandle h = repo.importDoc(saved);
      assertEquals(THEN.getEpochSecond(), timeOf(h, edit(h)));
    }
  }
}
