package dev.loam.repo;

import static dev.loam.repo.RepoTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.undo.UndoManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link DocHandle#revert} and an undo manager over a handle: changes told to listeners and saved like any other. */
class DocHandleRevertTest {
  @Test
  void aRevertIsOneLocalChangeThatListenersSeeAndStorageKeeps() {
    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    DocumentId id;
    try (Repo repo = Repo.builder().storage(disk).build()) {
      DocHandle h = repo.create();
      h.change(tx -> tx.putText(ObjId.ROOT, "t", "Hello"));
      ChangeHash mine = h.change(tx -> tx.spliceText(text(h), 5, 0, " world")).orElseThrow();
      List<DocChange> seen = new CopyOnWriteArrayList<>();
      h.addListener(new DocHandle.Listener() {
        @Override
        public void changed(DocChange change) {
          seen.add(change);
        }
      });
      ChangeHash undo = h.revert(CommitOptions.message("undo"), List.of(mine)).orElseThrow();
      assertEquals("{\"t\":\"Hello\"}", h.toJson());
      assertEquals(Heads.of(List.of(undo)), h.heads());
      assertEquals(1, seen.size());
      assertTrue(seen.get(0).local());
      assertEquals(Heads.of(List.of(undo)), seen.get(0).after());
      repo.flush();
      id = h.documentId();
    }
    try (Repo again = Repo.builder().storage(disk).build()) {
      DocHandle h = await("the document loads", again.find(id).whenReady());
      assertEquals("{\"t\":\"Hello\"}", h.toJson());
    }
  }

  @Test
  void anUnknownHashChangesNothing() {
    try (Repo repo = Repo.builder().build()) {
      DocHandle h = repo.create();
      h.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
      Heads before = h.heads();
      ChangeHash unknown = ChangeHash.of(new byte[32]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> h.revert(CommitOptions.DEFAULT, List.of(unknown)));
      assertTrue(e.getMessage().contains(unknown.hex()), e.getMessage());
      assertEquals(before, h.heads());
    }
  }

  @Test
  void anUndoManagerWorksOnAHandleAndPicksUpItsDirectChanges() {
    try (Repo repo = Repo.builder().build()) {
      DocHandle h = repo.create();
      h.change(tx -> tx.putText(ObjId.ROOT, "t", ""));
      UndoManager undo = UndoManager.builder().build(h);
      ObjId t = text(h);
      undo.change(tx -> tx.spliceText(t, 0, 0, "Hello"));
      h.change(tx -> tx.spliceText(t, 5, 0, " world"));
      List<DocChange> seen = new CopyOnWriteArrayList<>();
      h.addListener(new DocHandle.Listener() {
        @Override
        public void changed(DocChange change) {
          seen.add(change);
        }
      });
      assertTrue(undo.undo().isPresent());
      assertEquals("{\"t\":\"Hello\"}", h.toJson());
      assertTrue(undo.undo().isPresent());
      assertEquals("{\"t\":\"\"}", h.toJson());
      assertTrue(undo.redo().isPresent());
      assertEquals("{\"t\":\"Hello\"}", h.toJson());
      assertEquals(3, seen.size());
      assertTrue(seen.stream().allMatch(DocChange::local));
    }
  }

  private static ObjId text(DocHandle h) {
    return h.read(d -> ((dev.loam.Value.Obj) d.get(ObjId.ROOT, "t").orElseThrow()).id());
  }
}
