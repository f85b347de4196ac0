package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.repo.DocHandle;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.testing.PairedNetworkAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TypedHandleTest {
  record Note(@Text String title, Counter edits) {}

  /** Two repos linked in memory, and a single-thread executor standing for an app's UI thread. */
  private record TwoPeers(Repo a, Repo b, ExecutorService ui) implements AutoCloseable {
    static TwoPeers open() {
      PairedNetworkAdapter.Pair link = PairedNetworkAdapter.pair();
      return new TwoPeers(Repo.builder().peerId(PeerId.of("a")).network(link.left()).build(),
          Repo.builder().peerId(PeerId.of("b")).network(link.right()).build(),
          Executors.newSingleThreadExecutor(r -> new Thread(r, "ui")));
    }

    @Override
    public void close() {
      ui.shutdownNow();
      try (a; b) {
        // both repos closed, b first
      }
    }
  }

  /**
   * {@code mine}'s document as repo {@code b} finds it, once {@code b} holds all of it: creating a
   * typed document is two changes (the document, then its value), and {@code a} announces the
   * document after the first, so {@code b} could find it ready with the first alone.
   */
  private static TypedHandle<Note> found(TypedHandle<Note> mine, Repo b) throws Exception {
    mine.handle().whenPeerHas(b.peerId(), mine.handle().heads()).get(30, TimeUnit.SECONDS);
    return TypedHandle.find(b, mine.url(), Note.class).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTypedChangesPatchesAreThoseOfItsHeadsWhenAskedFor() throws Exception {
    try (TwoPeers peers = TwoPeers.open()) {
      ExecutorService ui = peers.ui();
      TypedHandle<Note> mine = TypedHandle.create(peers.a(), new Note("Groceries", Counter.ZERO));
      TypedHandle<Note> theirs = found(mine, peers.b());
      BlockingQueue<TypedChange<Note>> seen = new LinkedBlockingQueue<>();
      mine.subscribeChanges(ui, seen::add);
      theirs.update(n -> new Note("Bread", n.edits()));
      TypedChange<Note> c = seen.poll(30, TimeUnit.SECONDS);
      assertEquals(new Note("Bread", Counter.ZERO), c.value());
      mine.update(n -> new Note(n.title(), n.edits().plus(1))); // a later change before the patches are asked for
      assertEquals(new Note("Bread", Counter.of(1)), seen.poll(30, TimeUnit.SECONDS).value());
      List<Patch> patches = c.patches();
      assertEquals(mine.handle().read(d -> d.diff(c.before(), c.after())), patches);
      assertTrue(patches.stream().anyMatch(p -> !p.path().isEmpty() && p.path().getFirst().equals(new Prop.Key("title"))),
          "the title changed: " + patches);
      assertSame(patches, c.patches(), "computed once");
    }
  }

  @Test
  void aCollaboratorsChangeArrivesTypedOnTheExecutorTheAppChose() throws Exception {
    try (TwoPeers peers = TwoPeers.open()) {
      ExecutorService ui = peers.ui();
      TypedHandle<Note> mine = TypedHandle.create(peers.a(), new Note("Groceries", Counter.ZERO));
      TypedHandle<Note> theirs = found(mine, peers.b());
      assertEquals(new Note("Groceries", Counter.ZERO), theirs.value());

      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      TypedHandle.Subscription subscription = mine.subscribeChanges(ui,
          c -> seen.add(Thread.currentThread().getName() + " " + (c.local() ? "local " : "remote ") + c.value()));
      theirs.update(n -> new Note(n.title() + " for Sunday", n.edits().plus(1)));
      assertEquals("ui remote Note[title=Groceries for Sunday, edits=Counter[value=1]]", seen.poll(30, TimeUnit.SECONDS));
      mine.update(n -> new Note(n.title(), n.edits().plus(1)));
      assertEquals("ui local Note[title=Groceries for Sunday, edits=Counter[value=2]]", seen.poll(30, TimeUnit.SECONDS));
      subscription.close();
      mine.set(new Note("closed", Counter.of(2)));
      mine.handle().change(tx -> tx.put(ObjId.ROOT, "after", "close")); // a change whose event must not arrive
      CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> { }, ui);
      drained.get(30, TimeUnit.SECONDS);
      assertEquals(List.of(), new ArrayList<>(seen), "nothing after the subscription closed");
    }
  }

  @Test
  void valuesArriveInChangeOrderEvenOnAThreadPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Repo repo = Repo.builder().build()) {
      TypedHandle<Note> note = TypedHandle.create(repo, new Note("n", Counter.ZERO));
      BlockingQueue<Long> values = new LinkedBlockingQueue<>();
      note.subscribe(pool, n -> values.add(n.edits().value()));
      for (int i = 0; i < 200; i++) {
        note.update(n -> new Note(n.title(), n.edits().plus(1)));
      }
      for (long expected = 1; expected <= 200; expected++) {
        assertEquals(expected, values.poll(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aValueThatFailsToMapGoesToTheUncaughtHandlerAndLaterChangesStillArrive() throws Exception {
    BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    ExecutorService one = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "one");
      t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
      return t;
    });
    try (Repo repo = Repo.builder().build()) {
      DocHandle h = repo.create();
      TypedHandle<Note> note = TypedHandle.of(h, Note.class);
      BlockingQueue<Note> values = new LinkedBlockingQueue<>();
      note.subscribe(one, values::add);
      h.change(tx -> tx.put(ObjId.ROOT, "edits", "many"));
      Throwable e = failures.poll(30, TimeUnit.SECONDS);
      assertNotNull(e);
      assertTrue(e instanceof TypeMismatchException t && t.path().equals("/edits"), e.toString());
      note.set(new Note("fixed", Counter.of(1)));
      assertEquals(new Note("fixed", Counter.of(1)), values.poll(30, TimeUnit.SECONDS));
      assertTrue(failures.isEmpty());
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void findOrCreateCreatesWithoutAUrlAndReportsAnUnavailableOne() {
    try (Repo repo = Repo.builder().build(); Repo elsewhere = Repo.builder().build()) {
      TypedHandle<Note> made = TypedHandle.findOrCreate(repo, Optional.empty(), new Note("new", Counter.ZERO));
      assertEquals(new Note("new", Counter.ZERO), made.value());
      assertEquals(new Note("new", Counter.ZERO),
          TypedHandle.findOrCreate(repo, Optional.of(made.url().toString()), new Note("unused", Counter.ZERO)).value());
      String nowhere = elsewhere.create().url().toString(); // a document this repo has no way to reach
      assertThrows(DocumentUnavailableException.class,
          () -> TypedHandle.findOrCreate(repo, Optional.of(nowhere), new Note("unused", Counter.ZERO)));
    }
  }

  @Test
  void setReturnsNoChangeWhenTheDocumentAlreadyHoldsTheValue() {
    try (Repo repo = Repo.builder().build()) {
      TypedHandle<Note> note = TypedHandle.create(repo, new Note("same", Counter.of(3)));
      assertEquals(Optional.empty(), note.set(new Note("same", Counter.of(3))));
      assertFalse(note.set(new Note("other", Counter.of(3))).isEmpty());
    }
  }
}
