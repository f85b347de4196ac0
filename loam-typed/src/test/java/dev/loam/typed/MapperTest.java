package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MapperTest {
  enum Status { OPEN, DONE }

  record Address(String city, Optional<String> zip) {}

  record Everything(String plain, @Text String text, boolean flag, Boolean boxedFlag, int i, long l, short s, byte b,
      double d, float f, Integer boxed, Instant at, byte[] raw, Status status, Counter views, Optional<Long> maybe,
      List<String> tags, Map<String, Double> scores, Address address, List<Address> addresses) {}

  record Task(@Key String id, @Text String title, boolean done) {}

  record Board(@Text String name, List<Task> tasks, Counter visits) {}

  record Versioned(String name, @Default("3") int version, @Default("OPEN") Status status, int missing,
      Optional<String> note, List<String> list, String absent) {}

  private static final Instant AT = Instant.parse("2024-05-01T12:30:00.250Z");

  private static Everything everything() {
    return new Everything("p", "t", true, false, -7, 1L << 40, (short) 300, (byte) -3, 2.5, 0.5f, 42, AT,
        new byte[] {1, 2, 3}, Status.DONE, Counter.of(5), Optional.of(9L), List.of("a", "b"), Map.of("x", 1.5),
        new Address("Oslo", Optional.empty()), List.of(new Address("Bergen", Optional.of("5003"))));
  }

  @Test
  void everySupportedTypeIsStoredAsAutomergeStoresItAndReadsBackEqual() {
    Mapper<Everything> m = Mapper.of(Everything.class);
    Document doc = Document.create(ActorId.fromHex("aa"));
    Everything value = everything();
    doc.transact(tx -> m.reconcile(tx, value));
    Everything back = m.read(doc);
    assertArrayEquals(value.raw(), back.raw());
    assertEquals(value, new Everything(back.plain(), back.text(), back.flag(), back.boxedFlag(), back.i(), back.l(), back.s(),
        back.b(), back.d(), back.f(), back.boxed(), back.at(), value.raw(), back.status(), back.views(), back.maybe(),
        back.tags(), back.scores(), back.address(), back.addresses()));
    // the stored types, as Automerge JS would see them
    assertEquals(new ScalarValue.Str("p"), doc.get(ObjId.ROOT, "plain").orElseThrow());
    assertEquals(ObjType.TEXT, ((Value.Obj) doc.get(ObjId.ROOT, "text").orElseThrow()).type());
    assertEquals(ScalarValue.timestamp(AT.toEpochMilli()), doc.get(ObjId.ROOT, "at").orElseThrow());
    assertEquals(ScalarValue.counter(5), doc.get(ObjId.ROOT, "views").orElseThrow());
    assertEquals(new ScalarValue.Str("DONE"), doc.get(ObjId.ROOT, "status").orElseThrow());
    assertEquals(ScalarValue.of(2.5), doc.get(ObjId.ROOT, "d").orElseThrow());
    assertEquals(ScalarValue.of(-7), doc.get(ObjId.ROOT, "i").orElseThrow());
    assertEquals("{\"address\":{\"city\":\"Oslo\"},\"addresses\":[{\"city\":\"Bergen\",\"zip\":\"5003\"}],\"at\":\"2024-05-01T12:30:00.250Z\","
        + "\"b\":-3,\"boxed\":42,\"boxedFlag\":false,\"d\":2.5,\"f\":0.5,\"flag\":true,\"i\":-7,\"l\":1099511627776,\"maybe\":9,"
        + "\"plain\":\"p\",\"raw\":\"AQID\",\"s\":300,\"scores\":{\"x\":1.5},\"status\":\"DONE\",\"tags\":[\"a\",\"b\"],\"text\":\"t\",\"views\":5}",
        doc.toJson());
  }

  @Test
  void writingTheValueTheDocumentHoldsEmitsNoOperation() {
    Mapper<Everything> m = Mapper.of(Everything.class);
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> m.reconcile(tx, everything()));
    Heads before = doc.heads();
    assertEquals(Optional.empty(), doc.transact(tx -> m.reconcile(tx, m.read(tx))));
    assertEquals(Optional.empty(), doc.transact(tx -> m.reconcile(tx, everything())));
    assertEquals(before, doc.heads());
  }

  @Test
  void aChangedComponentIsTheOnlyOperation() {
    Mapper<Board> m = Mapper.of(Board.class);
    Document doc = Document.create(ActorId.fromHex("aa"));
    Board b = new Board("Home", List.of(new Task("1", "Milk", false), new Task("2", "Eggs", false)), Counter.ZERO);
    doc.transact(tx -> m.reconcile(tx, b));
    // one boolean of one element: one put
    assertEquals(1, ops(doc, m, new Board("Home", List.of(new Task("1", "Milk", true), new Task("2", "Eggs", false)), Counter.ZERO)));
    // a counter: one increment
    assertEquals(1, ops(doc, m, new Board("Home", List.of(new Task("1", "Milk", true), new Task("2", "Eggs", false)), Counter.of(3))));
    // text "Home" -> "Homes": one inserted character
    assertEquals(1, ops(doc, m, new Board("Homes", List.of(new Task("1", "Milk", true), new Task("2", "Eggs", false)), Counter.of(3))));
    assertEquals(3, ((ScalarValue.Counter) doc.get(ObjId.ROOT, "visits").orElseThrow()).value());
  }

  @Test
  void listsChangeByInsertsAndDeletesNotARewrite() {
    record Names(List<String> names) {}
    Mapper<Names> m = Mapper.of(Names.class);
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> m.reconcile(tx, new Names(List.of("a", "b", "c", "d"))));
    ObjId list = ((Value.Obj) doc.get(ObjId.ROOT, "names").orElseThrow()).id();
    // delete "b", insert "x" after "c": two operations, the list object is the same
    assertEquals(2, ops(doc, m, new Names(List.of("a", "c", "x", "d"))));
    assertEquals(list, ((Value.Obj) doc.get(ObjId.ROOT, "names").orElseThrow()).id());
    assertEquals("{\"names\":[\"a\",\"c\",\"x\",\"d\"]}", doc.toJson());
    assertEquals(4, ops(doc, m, new Names(List.of())));
    assertEquals("{\"names\":[]}", doc.toJson());
  }

  @Test
  void keyedElementsAreEditedInPlaceAndMovedOnesAreDeletedAndInserted() {
    Mapper<Board> m = Mapper.of(Board.class);
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> m.reconcile(tx, new Board("B", List.of(new Task("1", "one", false), new Task("2", "two", false)), Counter.ZERO)));
    ObjId first = ((Value.Obj) doc.get(elements(doc), 0).orElseThrow()).id();
    // same key, new title: the element's text object is edited, the element stays
    ops(doc, m, new Board("B", List.of(new Task("1", "one!", false), new Task("2", "two", false)), Counter.ZERO));
    assertEquals(first, ((Value.Obj) doc.get(elements(doc), 0).orElseThrow()).id());
    ops(doc, m, new Board("B", List.of(new Task("2", "two", false), new Task("1", "one!", false)), Counter.ZERO));
    assertEquals("{\"name\":\"B\",\"tasks\":[{\"done\":false,\"id\":\"2\",\"title\":\"two\"},{\"done\":false,\"id\":\"1\",\"title\":\"one!\"}],\"visits\":0}",
        doc.toJson());
  }

  @Test
  void aMissingFieldReadsAsItsDeclaredOrJavaDefault() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.put(ObjId.ROOT, "name", "n");
    assertEquals(new Versioned("n", 3, Status.OPEN, 0, Optional.empty(), List.of(), null), Mapper.of(Versioned.class).read(doc));
    doc.put(ObjId.ROOT, "version", ScalarValue.NULL);
    assertEquals(3, Mapper.of(Versioned.class).read(doc).version());
  }

  @Test
  void keysTheClassDoesNotDeclareAreKeptOnWrite() {
    record V1(String name) {}
    record V2(String name, long added, List<String> more) {}
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(V2.class).reconcile(tx, new V2("a", 7, List.of("x"))));
    doc.transact(tx -> Mapper.of(V1.class).reconcile(tx, new V1("b")));
    assertEquals("{\"added\":7,\"more\":[\"x\"],\"name\":\"b\"}", doc.toJson());
  }

  @Test
  void aTypeMismatchNamesTheJsonPointerOfTheValue() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(Board.class).reconcile(tx, new Board("B", List.of(new Task("1", "one", false)), Counter.ZERO)));
    ObjId task = ((Value.Obj) doc.get(elements(doc), 0).orElseThrow()).id();
    doc.put(task, "done", "yes");
    TypeMismatchException e = assertThrows(TypeMismatchException.class, () -> Mapper.of(Board.class).read(doc));
    assertEquals("/tasks/0/done", e.path());
    assertEquals("at /tasks/0/done: expected a boolean, found the string \"yes\"", e.getMessage());
    // a write that must read the list first fails before it changes anything
    Heads before = doc.heads();
    assertThrows(TypeMismatchException.class,
        () -> doc.transact(tx -> Mapper.of(Board.class).reconcile(tx, new Board("C", List.of(), Counter.ZERO))));
    assertEquals(before, doc.heads());
    assertEquals("{\"name\":\"B\",\"tasks\":[{\"done\":\"yes\",\"id\":\"1\",\"title\":\"one\"}],\"visits\":0}", doc.toJson());
    record Small(byte b) {}
    doc.put(ObjId.ROOT, "b", 300);
    assertEquals("/b", assertThrows(TypeMismatchException.class, () -> Mapper.of(Small.class).read(doc)).path());
  }

  @Test
  void readsAsOfPastHeadsAndAtAPath() {
    record Root(Address home) {}
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(Root.class).reconcile(tx, new Root(new Address("Oslo", Optional.empty()))));
    Heads v1 = doc.heads();
    doc.transact(tx -> Mapper.of(Address.class).reconcile(tx, List.of(Prop.key("home")), new Address("Bergen", Optional.of("5003"))));
    assertEquals(new Address("Bergen", Optional.of("5003")), Mapper.of(Address.class).read(doc, List.of(Prop.key("home"))));
    assertEquals(new Address("Oslo", Optional.empty()), Mapper.of(Address.class).read(doc, List.of(Prop.key("home")), v1));
    assertEquals(new Root(new Address("Oslo", Optional.empty())), Mapper.of(Root.class).read(doc, v1));
    assertEquals("/nowhere", assertThrows(TypeMismatchException.class,
        () -> Mapper.of(Address.class).read(doc, List.of(Prop.key("nowhere")))).path());
  }

  @Test
  void stringsWrittenByAutomergeJsAsTextStayText() {
    record Note(String title, Status status) {}
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> {
      tx.putText(ObjId.ROOT, "title", "Hello");
      tx.putText(ObjId.ROOT, "status", "OPEN");
    });
    Mapper<Note> m = Mapper.of(Note.class);
    assertEquals(new Note("Hello", Status.OPEN), m.read(doc));
    assertEquals(1, ops(doc, m, new Note("Hello!", Status.OPEN)));
    assertEquals(ObjType.TEXT, ((Value.Obj) doc.get(ObjId.ROOT, "title").orElseThrow()).type());
  }

  @Test
  void unsupportedClassesAreRefusedWhenTheMapperIsBuilt() {
    record Bad(Object anything) {}
    record BadDefault(@Default("many") int n) {}
    record BadText(@Text int n) {}
    record BadKey(Map<Integer, String> m) {}
    assertTrue(assertThrows(MappingException.class, () -> Mapper.of(Bad.class)).getMessage().contains("Bad.anything"));
    assertTrue(assertThrows(MappingException.class, () -> Mapper.of(BadDefault.class)).getMessage().contains("@Default(\"many\")"));
    assertThrows(MappingException.class, () -> Mapper.of(BadText.class));
    assertThrows(MappingException.class, () -> Mapper.of(BadKey.class));
  }

  @Test
  void aMapperBuiltWithTheAppsOwnLookupReadsAndWrites() {
    Mapper<Board> m = Mapper.of(Board.class, java.lang.invoke.MethodHandles.lookup());
    Document doc = Document.create(ActorId.fromHex("aa"));
    Board b = new Board("B", List.of(new Task("1", "one", true)), Counter.of(2));
    doc.transact(tx -> m.reconcile(tx, b));
    assertEquals(b, m.read(doc));
  }

  @Test
  void textMarksListElementsToo() {
    record Poem(List<@Text String> lines) {}
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(Poem.class).reconcile(tx, new Poem(List.of("roses", "violets"))));
    ObjId lines = ((Value.Obj) doc.get(ObjId.ROOT, "lines").orElseThrow()).id();
    assertEquals(ObjType.TEXT, ((Value.Obj) doc.get(lines, 1).orElseThrow()).type());
    assertEquals(new Poem(List.of("roses", "violets")), Mapper.of(Poem.class).read(doc));
  }

  /** A JavaBean: values are built through a constructor, so one without parameters maps nothing. */
  public static final class Bean {
    public Bean() {}
  }

  @Test
  void aClassWithoutAConstructorWithParametersIsRefused() {
    assertTrue(assertThrows(MappingException.class, () -> Mapper.of(Bean.class)).getMessage().contains("not through setters"));
  }

  /** A Java class that is not a record: its constructor's parameter names come from javac -parameters. */
  public static final class Point {
    private final int x;
    private final int y;

    public Point(int x, int y) {
      this.x = x;
      this.y = y;
    }

    public int getX() {
      return x;
    }

    public int getY() {
      return y;
    }
  }

  @Test
  void aClassWithAPrimaryConstructorAndGettersMapsLikeARecord() {
    record Shape(List<Point> points) {}
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(Shape.class).reconcile(tx, new Shape(List.of(new Point(1, 2)))));
    assertEquals("{\"points\":[{\"x\":1,\"y\":2}]}", doc.toJson());
    Point p = Mapper.of(Shape.class).read(doc).points().getFirst();
    assertEquals(List.of(1, 2), List.of(p.getX(), p.getY()));
  }

  @Test
  void aSelfReferencingRecordMaps() {
    record Tree(String name, List<Tree> children) {}
    Tree t = new Tree("root", List.of(new Tree("a", List.of(new Tree("a1", List.of()))), new Tree("b", List.of())));
    Document doc = Document.create(ActorId.fromHex("aa"));
    doc.transact(tx -> Mapper.of(Tree.class).reconcile(tx, t));
    assertEquals(t, Mapper.of(Tree.class).read(doc));
  }

  /** Reconciles {@code value} and returns how many operations it took. */
  static <T> int ops(Document doc, Mapper<T> m, T value) {
    int[] n = new int[1];
    doc.transact(tx -> {
      m.reconcile(tx, value);
      n[0] = tx.pendingOps();
    });
    return n[0];
  }

  private static ObjId elements(Document doc) {
    return ((Value.Obj) doc.get(ObjId.ROOT, "tasks").orElseThrow()).id();
  }

  static <T> UnaryOperator<T> same() {
    return t -> t;
  }
}
