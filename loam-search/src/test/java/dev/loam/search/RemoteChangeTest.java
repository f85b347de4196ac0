package dev.loam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loam.ObjId;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.testing.PairedNetworkAdapter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes that arrive from a peer are searchable as soon as the repo has applied them. */
class RemoteChangeTest {
  @TempDir Path dir;

  /** Completes with the first change of {@code repo} whose document then holds {@code word}. */
  private static CompletableFuture<DocChange> arrival(Repo repo, String word) {
    CompletableFuture<DocChange> f = new CompletableFuture<>();
    repo.addListener(new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        if (change.handle().toJson().contains(word)) {
          f.complete(change);
        }
      }
    });
    return f;
  }

  @Test
  void aChangeFromAPeerIsIndexed() throws Exception {
    PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
    try (Repo a = Repo.builder().peerId(PeerId.of("a")).network(link.left()).build();
        Repo b = Repo.builder().peerId(PeerId.of("b")).network(link.right()).build();
        SearchIndex index = SearchIndex.open(dir.resolve("index"), a)) {
      DocHandle hb = b.create();
      hb.change(tx -> tx.putText(ObjId.ROOT, "title", "a walrus"));
      CompletableFuture<DocChange> first = arrival(a, "walrus"); // heard after the index's listener
      a.find(hb.url());
      assertFalse(first.get(30, TimeUnit.SECONDS).local());
      assertEquals(Set.of(hb.url()), urls(index, "walrus"));

      CompletableFuture<DocChange> second = arrival(a, "narwhal");
      hb.change(tx -> tx.put(ObjId.ROOT, "note", "and a narwhal"));
      assertFalse(second.get(30, TimeUnit.SECONDS).local());
      assertEquals(Set.of(hb.url()), urls(index, "walrus narwhal"));
      assertEquals(List.of("/note"), index.search("narwhal", 1).getFirst().paths());
    }
  }

  private static Set<AutomergeUrl> urls(SearchIndex index, String query) {
    return index.search(query, 10).stream().map(SearchHit::url).collect(Collectors.toSet());
  }
}
