package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of package {@code dev.loam.repo}'s Javadoc: a document outlives its repo in storage. */
class RepoExampleTest {
  @Test
  void aDocumentIsFoundAgainByItsUrlAfterARestart(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("notes.sqlite");
    // @start region="example"
    AutomergeUrl url;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      DocHandle notes = repo.create();
      notes.change(tx -> tx.putText(ObjId.ROOT, "title", "Shopping"));
      url = notes.url();                              // automerge:…, also for JS peers
    }                                                 // close() saves everything

    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(file)).build()) {
      DocHandle notes = repo.find(url).whenReady().get(10, TimeUnit.SECONDS); // loads from storage
      String json = notes.toJson();                   // {"title":"Shopping"}
      // @end
      assertEquals("{\"title\":\"Shopping\"}", json);
      assertEquals(DocHandle.State.READY, notes.state());
    }
  }
}
