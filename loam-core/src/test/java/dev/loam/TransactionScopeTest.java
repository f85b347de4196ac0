package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The two modes of a document: a {@code transact} body's {@link Transaction} is valid only while
 * the body runs, and every history operation sees writes made directly on the document.
 */
class TransactionScopeTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L));

  private static Document doc(String actorHex) {
    return Document.create(ActorId.fromHex(actorHex), CLOCK);
  }

  /** Every Transaction method, reads and writes, as calls that must all be refused on a closed transaction. */
  private static List<Executable> everyCall(Transaction tx, ObjId list, ObjId text, Heads heads) {
    ObjId root = ObjId.ROOT;
    return List.of(
        () -> tx.objType(root), () -> tx.objType(root, heads),
        () -> tx.get(root, "k"), () -> tx.get(root, "k", heads),
        () -> tx.get(list, 0), () -> tx.get(list, 0, heads),
        () -> tx.getAll(root, "k"), () -> tx.getAll(root, "k", heads),
        () -> tx.getAll(list, 0), () -> tx.getAll(list, 0, heads),
        () -> tx.keys(root), () -> tx.keys(root, heads),
        () -> tx.length(list), () -> tx.length(list, heads),
        () -> tx.text(text), () -> tx.text(text, heads),
        () -> tx.marks(text), () -> tx.marks(text, heads),
        () -> tx.materialize(root), () -> tx.materialize(root, heads),
        () -> tx.cursor(text, 0, Cursor.Move.AFTER), () -> tx.cursor(text, 0, Cursor.Move.AFTER, heads),
        () -> tx.resolveCursor(text, Cursor.START), () -> tx.resolveCursor(text, Cursor.START, heads),
        () -> tx.put(root, "k", ScalarValue.of(2)), () -> tx.put(list, 0, ScalarValue.of(2)),
        () -> tx.put(root, "s", "str"),
        () -> tx.putObject(root, "m", ObjType.MAP), () -> tx.putObject(list, 0, ObjType.MAP),
        () -> tx.putText(root, "t2", "x"),
        () -> tx.insert(list, 0, ScalarValue.of(3)), () -> tx.insertObject(list, 0, ObjType.LIST),
        () -> tx.delete(root, "k"), () -> tx.delete(list, 0),
        () -> tx.increment(root, "n", 1), () -> tx.increment(list, 1, 1),
        () -> tx.splice(list, 0, 1, List.of(ScalarValue.of(4))),
        () -> tx.spliceText(text, 0, 0, "y"),
        () -> tx.mark(text, 0, 1, "bold", ScalarValue.of(true), ExpandMark.NONE),
        () -> tx.unmark(text, 0, 1, "bold", ExpandMark.NONE),
        tx::pendingOps);
  }

  private record Kept(Transaction tx, ObjId list, ObjId text) {}

  /** A document with a map key, a list (a scalar and a counter) and a text, made in a body whose Transaction is kept. */
  private static Kept keptFrom(Document d, Consumer<Transaction> extra) {
    Transaction[] kept = new Transaction[1];
    ObjId[] ids = new ObjId[2];
    try {
      d.transact(tx -> {
        kept[0] = tx;
        tx.put(ObjId.ROOT, "k", 1);
        tx.put(ObjId.ROOT, "n", ScalarValue.counter(0));
        ids[0] = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
        tx.insert(ids[0], 0, ScalarValue.of(1));
        tx.insert(ids[0], 1, ScalarValue.counter(0));
        ids[1] = tx.putText(ObjId.ROOT, "text", "hello");
        extra.accept(tx);
      });
    } catch (IllegalStateException expected) {
      // the body that throws on purpose
    }
    return new Kept(kept[0], ids[0], ids[1]);
  }

  private static void assertEveryCallRefused(Kept k, Heads heads) {
    List<Executable> calls = everyCall(k.tx(), k.list(), k.text(), heads);
    for (int i = 0; i < calls.size(); i++) {
      InvalidOperationException e = assertThrows(InvalidOperationException.class, calls.get(i), "call " + i);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  @Test
  void aTransactionKeptAfterItsBodyEndsRefusesEveryReadAndWrite() {
    Document d = doc("aaaa");
    Kept k = keptFrom(d, tx -> {});
    Heads heads = d.heads();
    String json = d.toJson();
    assertEveryCallRefused(k, heads);
    assertEquals(json, d.toJson());
    assertEquals(heads, d.heads());
    assertEquals(0, d.pendingOps());
  }

  @Test
  void aKeptTransactionCannotWriteIntoALaterImplicitTransaction() {
    Document d = doc("aaaa");
    Kept k = keptFrom(d, tx -> {});
    d.put(ObjId.ROOT, "direct", 1); // opens the implicit transaction
    assertThrows(InvalidOperationException.class, () -> k.tx().put(ObjId.ROOT, "sneaky", 2));
    assertEquals(1, d.pendingOps());
    d.commit();
    assertEquals(Optional.empty(), d.get(ObjId.ROOT, "sneaky"));
    assertEquals(2, d.changes().size());
  }

  @Test
  void aKeptTransactionCannotWriteIntoALaterExplicitTransaction() {
    Document d = doc("aaaa");
    Kept k = keptFrom(d, tx -> {});
    d.transact(tx -> {
      assertNotSame(k.tx(), tx);
      assertThrows(InvalidOperationException.class, () -> k.tx().put(ObjId.ROOT, "sneaky", 2));
      tx.put(ObjId.ROOT, "ok", 3);
    });
    assertEquals(Optional.empty(), d.get(ObjId.ROOT, "sneaky"));
    assertEquals(ScalarValue.of(3), d.get(ObjId.ROOT, "ok").orElseThrow());
  }

  @Test
  void aTransactionLeakedFromABodyThatThrewIsClosedAndItsWritesRolledBack() {
    Document d = doc("aaaa");
    d.transact(tx -> tx.put(ObjId.ROOT, "before", 1));
    Heads heads = d.heads();
    Kept k = keptFrom(d, tx -> {
      throw new IllegalStateException("the body fails");
    });
    assertEquals(heads, d.heads());
    assertEquals("{\"before\":1}", d.toJson());
    assertEveryCallRefused(k, heads);
    assertEquals("{\"before\":1}", d.toJson());
  }

  @Test
  void eachBodyGetsItsOwnTransaction() {
    Document d = doc("aaaa");
    List<Transaction> seen = new ArrayList<>();
    d.transact(seen::add);
    d.transact(seen::add);
    assertNotSame(seen.get(0), seen.get(1));
  }

  @Test
  void theDocumentRefusesDirectWritesAndHistoryWhileABodyRuns() {
    Document d = doc("aaaa");
    d.transact(tx -> {
      tx.put(ObjId.ROOT, "x", 1);
      assertEquals(ScalarValue.of(1), d.get(ObjId.ROOT, "x").orElseThrow(), "reads of the current state are fine");
      assertThrows(InvalidOperationException.class, () -> d.put(ObjId.ROOT, "y", 2));
      assertThrows(InvalidOperationException.class, d::heads);
      assertThrows(InvalidOperationException.class, d::commit);
      assertThrows(InvalidOperationException.class, d::rollback);
      assertThrows(InvalidOperationException.class, d::save);
      assertThrows(InvalidOperationException.class, () -> d.transact(inner -> inner.put(ObjId.ROOT, "z", 3)));
      assertEquals(1, tx.pendingOps());
    });
    assertEquals("{\"x\":1}", d.toJson());
    assertEquals(1, d.changes().size());
  }

  // ---- history reads after direct writes ----

  private static Document withDirectWrite(String actorHex) {
    Document d = doc(actorHex);
    d.transact(tx -> tx.put(ObjId.ROOT, "committed", 1));
    d.put(ObjId.ROOT, "direct", 2);
    assertEquals(1, d.pendingOps());
    return d;
  }

  private static final String BOTH = "{\"committed\":1,\"direct\":2}";

  @Test
  void headsAndChangesSeeDirectWrites() {
    Document d = withDirectWrite("aaaa");
    Heads heads = d.heads();
    assertEquals(0, d.pendingOps(), "heads committed the direct write");
    List<Change> changes = d.changes();
    assertEquals(2, changes.size());
    assertEquals(Heads.of(List.of(changes.get(1).hash())), heads);
    assertEquals(2, withDirectWrite("aaaa").changes().size());
    // same actor, clock and writes: a twin's direct change has the same hash
    assertTrue(withDirectWrite("aaaa").change(heads.hashes().get(0)).isPresent());
    Document e = doc("aaaa");
    e.transact(tx -> tx.put(ObjId.ROOT, "committed", 1));
    Heads first = e.heads();
    e.put(ObjId.ROOT, "direct", 2);
    assertEquals(List.of(heads.hashes().get(0)), e.changesSince(first).stream().map(Change::hash).toList());
  }

  @Test
  void everyFormOfSaveSeesDirectWrites() {
    assertEquals(BOTH, Document.load(withDirectWrite("aaaa").save()).toJson());
    assertEquals(BOTH, Document.load(withDirectWrite("aaaa").saveIncremental()).toJson());
    assertEquals(BOTH, Document.load(withDirectWrite("aaaa").saveSince(Heads.EMPTY)).toJson());
    assertEquals(BOTH, Document.load(withDirectWrite("aaaa").saveChanges()).toJson());
  }

  @Test
  void applyingChangesCommitsDirectWritesAsTheirOwnChangeFirst() {
    Document other = doc("bbbb");
    other.put(ObjId.ROOT, "remote", 3);
    List<byte[]> chunks = other.changes().stream().map(c -> c.bytes().toByteArray()).toList();
    Document d = withDirectWrite("aaaa");
    d.applyChanges(chunks);
    assertEquals(3, d.changes().size());
    assertEquals("{\"committed\":1,\"direct\":2,\"remote\":3}", d.toJson());
  }

  @Test
  void forkAndMergeSeeDirectWrites() {
    assertEquals(BOTH, withDirectWrite("aaaa").fork().toJson());
    Document a = withDirectWrite("aaaa");
    Document b = doc("bbbb");
    b.merge(a);
    assertEquals(BOTH, b.toJson());
    assertEquals(0, a.pendingOps());
    Document c = withDirectWrite("cccc");
    Heads h = c.heads();
    assertEquals(BOTH, c.fork(h).toJson());
  }

  @Test
  void syncSeesDirectWrites() {
    Document a = withDirectWrite("aaaa");
    Document b = doc("bbbb");
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();
    for (int round = 0; round < 10; round++) {
      Optional<SyncMessage> ab = Sync.generateSyncMessage(a, sa);
      ab.ifPresent(m -> Sync.receiveSyncMessage(b, sb, m));
      Optional<SyncMessage> ba = Sync.generateSyncMessage(b, sb);
      ba.ifPresent(m -> Sync.receiveSyncMessage(a, sa, m));
      if (ab.isEmpty() && ba.isEmpty()) {
        break;
      }
    }
    assertEquals(BOTH, b.toJson());
    assertEquals(a.heads(), b.heads());
  }
}
