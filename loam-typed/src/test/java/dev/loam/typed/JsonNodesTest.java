package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonNodesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  @Test
  void aDocumentReadsAsTheJsonItPrints() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> {
      tx.putText(ObjId.ROOT, "title", "Hi");
      ObjId list = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
      tx.insert(list, 0, ScalarValue.of(1));
      tx.insert(list, 1, ScalarValue.of(2.5));
      tx.insert(list, 2, ScalarValue.NULL);
      tx.put(ObjId.ROOT, "n", ScalarValue.counter(4));
      tx.put(ObjId.ROOT, "at", ScalarValue.timestamp(1_700_000_000_000L));
      tx.put(ObjId.ROOT, "yes", true);
    });
    assertEquals(json(doc.toJson()), JsonNodes.read(doc));
    assertEquals(json("{\"at\":\"2023-11-14T22:13:20.000Z\",\"list\":[1,2.5,null],\"n\":4,\"title\":\"Hi\",\"yes\":true}"), JsonNodes.read(doc));
    assertEquals(Optional.of(json("2.5")), JsonNodes.read(doc, List.of(Prop.key("list"), Prop.index(1))));
    assertEquals(Optional.empty(), JsonNodes.read(doc, List.of(Prop.key("nope"))));
  }

  @Test
  void reconcilingJsonEditsOnlyWhatChangedAsAutomergeJsAssignmentsWould() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> JsonNodes.reconcile(tx, json("{\"title\":\"Hello\",\"tags\":[\"a\",\"b\",\"c\"],\"n\":1,\"gone\":true}")));
    // a new string is collaborative text, as in Automerge JS 3
    assertEquals(ObjType.TEXT, ((Value.Obj) doc.get(ObjId.ROOT, "title").orElseThrow()).type());
    doc.put(ObjId.ROOT, "hits", ScalarValue.counter(10));
    Heads before = doc.heads();
    int[] ops = new int[1];
    doc.transact(tx -> {
      JsonNodes.reconcile(tx, json("{\"title\":\"Hello!\",\"tags\":[\"a\",\"c\",\"d\"],\"n\":1,\"hits\":12}"));
      ops[0] = tx.pendingOps();
    });
    // "!" inserted, "b" deleted, "d" inserted (a new text object and its splice), "gone" deleted, the counter incremented
    assertEquals(6, ops[0]);
    assertEquals("{\"hits\":12,\"n\":1,\"tags\":[\"a\",\"c\",\"d\"],\"title\":\"Hello!\"}", doc.toJson());
    assertEquals(ScalarValue.counter(12), doc.get(ObjId.ROOT, "hits").orElseThrow());
    assertEquals(json("{\"hits\":10,\"n\":1,\"tags\":[\"a\",\"b\",\"c\"],\"title\":\"Hello\",\"gone\":true}"), JsonNodes.read(doc, before));
    doc.transact(tx -> JsonNodes.reconcile(tx, List.of(Prop.key("tags"), Prop.index(0)), json("{\"x\":[]}")));
    assertEquals("{\"hits\":12,\"n\":1,\"tags\":[{\"x\":[]},\"c\",\"d\"],\"title\":\"Hello!\"}", doc.toJson());
  }

  @Test
  void reconcilingWhatWasReadChangesNothing() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> {
      tx.putText(ObjId.ROOT, "text", "t");
      tx.put(ObjId.ROOT, "str", "s");
      tx.put(ObjId.ROOT, "at", ScalarValue.timestamp(1_700_000_000_123L));
      tx.put(ObjId.ROOT, "raw", ScalarValue.bytes(new byte[] {1, 2}));
      tx.put(ObjId.ROOT, "hits", ScalarValue.counter(3));
      tx.put(ObjId.ROOT, "big", ScalarValue.uint(-1L));
      tx.put(ObjId.ROOT, "whole", ScalarValue.of(2.0));
      ObjId list = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
      tx.insert(list, 0, ScalarValue.NULL);
    });
    assertEquals(Optional.empty(), doc.transact(tx -> JsonNodes.reconcile(tx, JsonNodes.read(tx))));
    doc.transact(tx -> JsonNodes.reconcile(tx, JsonNodes.read(tx).put("at", "2024-01-01T00:00:00Z")));
    assertEquals(ScalarValue.timestamp(1_704_067_200_000L), doc.get(ObjId.ROOT, "at").orElseThrow());
  }

  @Test
  void theRootMustBeAnObject() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    assertThrows(IllegalArgumentException.class, () -> doc.transact(tx -> JsonNodes.reconcile(tx, json("[1]"))));
    assertEquals("/a", assertThrows(TypeMismatchException.class,
        () -> doc.transact(tx -> JsonNodes.reconcile(tx, List.of(Prop.key("a"), Prop.key("b")), json("1")))).path());
  }
}
