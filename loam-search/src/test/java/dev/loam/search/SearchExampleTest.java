package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of package {@code dev.loam.search}'s Javadoc: the index follows the repo's changes. */
class SearchExampleTest {
  @Test
  void aChangeIsFoundByTheNextSearch(@TempDir Path folder) {
    try (Repo repo = Repo.builder().build();
        SearchIndex index = SearchIndex.open(folder.resolve("index"), repo)) {
      // @start region="example"
      // SearchIndex index = SearchIndex.open(folder, repo): from now on it follows the repo
      index.catchUp(repo.documentIds(), Progress.NONE);      // and indexes what it held before
      DocHandle list = repo.create();
      list.change(tx -> tx.putText(ObjId.ROOT, "title", "Shopping: milk, bread"));
      DocHandle plan = repo.create();
      plan.change(tx -> tx.putText(ObjId.ROOT, "title", "Plan the trip"));

      List<SearchHit> hits = index.search("title:milk", 10); // sees every change made before it
      AutomergeUrl first = hits.getFirst().url();          // list.url()
      // @end
      assertEquals(1, hits.size());
      assertEquals(list.url(), first);
      assertEquals(List.of(plan.url()), index.search("trip", 10).stream().map(SearchHit::url).toList());
    }
  }
}
