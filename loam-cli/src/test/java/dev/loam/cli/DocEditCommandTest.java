package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.Mark;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocEditCommandTest {
  @TempDir Path dir;
  Path file;

  @BeforeEach
  void newDocument() {
    file = dir.resolve("doc.automerge");
    Cli.run("doc", "new", file).ok();
  }

  private String edit(String... ops) {
    List<Object> args = new ArrayList<>(List.of("doc", "edit", file, "--actor", "aa", "--time", "1700000000"));
    args.addAll(List.of(ops));
    return Cli.run(args.toArray()).ok();
  }

  private String editFails(String... ops) {
    byte[] before = Cli.bytes(file);
    List<Object> args = new ArrayList<>(List.of("doc", "edit", file));
    args.addAll(List.of(ops));
    String line = Cli.run(args.toArray()).failed();
    assertArrayEquals(before, Cli.bytes(file), "a failed edit leaves the file as it was");
    return line;
  }

  private String json() {
    return Cli.run("doc", "json", file).ok().strip();
  }

  private Document load() {
    return Document.load(Cli.bytes(file));
  }

  private ObjId obj(Document doc, String key) {
    return ((Value.Obj) doc.get(ObjId.ROOT, key).orElseThrow()).id();
  }

  @Test
  void appliesOperationsInOrderAsOneChange() {
    edit("--put", "/title", "\"Shopping\"", "--put", "/items", "[]", "--insert", "/items/-", "\"milk\"",
        "--insert", "/items/0", "\"bread\"", "--splice", "/title", "8", "0", " list", "--message", "first");
    assertEquals("{\"items\":[\"bread\",\"milk\"],\"title\":\"Shopping list\"}", json());
    String log = Cli.run("doc", "log", file).ok();
    assertEquals(1, log.split("\n").length);
    assertTrue(log.contains("\"actor\":\"aa\""), log);
    assertTrue(log.contains("\"time\":1700000000"), log);
    assertTrue(log.contains("\"message\":\"first\""), log);
  }

  @Test
  void writesTheSameChangesAsAutomergeJs() {
    // Expected heads from @automerge/automerge 3.5.0 on node 20:
    //   d = change(init({actor: "aa"}), {time: 10, message: "one"}, doc => {
    //     doc.title = "hello world"; doc.n = new Counter(5); doc.l = [1, "x", {k: true}];
    //     doc.s = new ImmutableString("imm"); doc.f = 2.5; doc.u = new Uint(7) })
    //   d = change(d, {time: 11}, doc => {
    //     splice(doc, ["title"], 5, 1, ", "); insertAt(doc.l, 1, 42); deleteAt(doc.l, 0); doc.l[0] = 43;
    //     doc.n.increment(-2); delete doc.f;
    //     mark(doc, ["title"], {start: 0, end: 5, expand: "both"}, "bold", true);
    //     mark(doc, ["title"], {start: 7, end: 12}, "link", "https://x");
    //     unmark(doc, ["title"], {start: 1, end: 2, expand: "none"}, "bold") })
    Cli.run("doc", "edit", file, "--actor", "aa", "--time", "10", "--message", "one", "--put", "/title", "\"hello world\"",
        "--put", "/n", "5", "--as", "counter", "--put", "/l", "[1,\"x\",{\"k\":true}]", "--put", "/s", "\"imm\"", "--as", "str",
        "--put", "/f", "2.5", "--put", "/u", "7", "--as", "uint").ok();
    Cli.run("doc", "edit", file, "--actor", "aa", "--time", "11", "--splice", "/title", "5", "1", ", ",
        "--insert", "/l/1", "42", "--delete", "/l/0", "--put", "/l/0", "43", "--increment", "/n", "-2", "--delete", "/f",
        "--mark", "/title", "0", "5", "bold", "true", "--expand", "both",
        "--mark", "/title", "7", "12", "link", "\"https://x\"",
        "--unmark", "/title", "1", "2", "bold", "--expand", "none").ok();
    assertEquals("5a5d88001527eaba008f90e6f92eb3d4c5165edef053187d9ef4d2e3f9b310fd\n", Cli.run("doc", "heads", file).ok());
    assertEquals("{\"l\":[43,\"x\",{\"k\":true}],\"n\":3,\"s\":\"imm\",\"title\":\"hello, world\",\"u\":7}", json());
  }

  @Test
  void typesMarkValuesAsJsMarkDoes() {
    // Expected heads from @automerge/automerge 3.5.0 on node 20:
    //   d = change(init({actor: "aa"}), {time: 1}, doc => { doc.t = "hello" })
    //   d = change(d, {time: 2}, doc => { mark(doc, ["t"], {start: 0, end: 1}, "a", 2);
    //     mark(doc, ["t"], {start: 0, end: 2}, "b", -2); mark(doc, ["t"], {start: 1, end: 3}, "c", 1.5);
    //     mark(doc, ["t"], {start: 0, end: 4}, "e", 0) })
    Cli.run("doc", "edit", file, "--actor", "aa", "--time", "1", "--put", "/t", "\"hello\"").ok();
    Cli.run("doc", "edit", file, "--actor", "aa", "--time", "2", "--mark", "/t", "0", "1", "a", "2",
        "--mark", "/t", "0", "2", "b", "-2", "--mark", "/t", "1", "3", "c", "1.5", "--mark", "/t", "0", "4", "e", "0").ok();
    assertEquals("7447c6f31e819eac98a2175ec44014f4d09b9940299073286187de778fc19b8a\n", Cli.run("doc", "heads", file).ok());
  }

  @Test
  void putsReplacesAndDeletes() {
    edit("--put", "/a", "{\"b\":[1,2,3]}", "--put", "/x", "1");
    edit("--put", "/a/b/1", "20", "--delete", "/a/b/0", "--delete", "/x", "--put", "/a/c~1d", "true", "--put", "/a/e~0", "null");
    assertEquals("{\"a\":{\"b\":[20,3],\"c/d\":true,\"e~\":null}}", json());
    assertEquals(2, Cli.run("doc", "log", file).ok().split("\n").length);
  }

  @Test
  void incrementsCountersUpAndDown() {
    edit("--put", "/n", "10", "--as", "counter", "--put", "/l", "[]", "--insert", "/l/0", "1", "--as", "counter");
    edit("--increment", "/n", "5", "--increment", "/n", "-3", "--increment", "/l/0", "-2");
    assertEquals("{\"l\":[-1],\"n\":12}", json());
    assertEquals(ScalarValue.counter(12), load().get(ObjId.ROOT, "n").orElseThrow());
  }

  @Test
  void typesValuesWithAs() {
    edit("--put", "/c", "3", "--as", "counter", "--put", "/i", "2.0", "--as", "int", "--put", "/u", "18446744073709551615",
        "--as", "uint", "--put", "/f", "2", "--as", "f64", "--put", "/t", "1700000000123", "--as", "timestamp",
        "--put", "/b", "\"AQID\"", "--as", "bytes", "--put", "/s", "\"imm\"", "--as", "str", "--put", "/x", "\"txt\"", "--as", "text");
    Document doc = load();
    assertEquals(ScalarValue.counter(3), doc.get(ObjId.ROOT, "c").orElseThrow());
    assertEquals(ScalarValue.of(2L), doc.get(ObjId.ROOT, "i").orElseThrow());
    assertEquals(ScalarValue.uint(-1L), doc.get(ObjId.ROOT, "u").orElseThrow());
    assertEquals(ScalarValue.of(2.0), doc.get(ObjId.ROOT, "f").orElseThrow());
    assertEquals(ScalarValue.timestamp(1700000000123L), doc.get(ObjId.ROOT, "t").orElseThrow());
    assertEquals(new ScalarValue.BytesValue(Bytes.of(new byte[] {1, 2, 3})), doc.get(ObjId.ROOT, "b").orElseThrow());
    assertEquals(ScalarValue.of("imm"), doc.get(ObjId.ROOT, "s").orElseThrow());
    assertEquals("txt", doc.text(obj(doc, "x")));
    assertEquals("{\"b\":\"AQID\",\"c\":3,\"f\":2,\"i\":2,\"s\":\"imm\",\"t\":\"2023-11-14T22:13:20.123Z\","
        + "\"u\":18446744073709551615,\"x\":\"txt\"}", json());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "1.5 | int",
    "-1 | uint",
    "9223372036854775808 | int",
    "\"x\" | counter",
    "1 | str",
    "\"not base64!\" | bytes",
    "1 | text",
    "1 | date"
  })
  void rejectsValuesThatDoNotFitTheirAs(String json, String as) {
    assertTrue(editFails("--put", "/v", json, "--as", as).contains("--as"));
  }

  @Test
  void marksAndUnmarksText() {
    edit("--put", "/t", "\"hello world\"");
    edit("--mark", "/t", "0", "5", "bold", "true", "--mark", "/t", "6", "11", "link", "\"https://x\"", "--expand", "none");
    edit("--splice", "/t", "5", "0", "!");
    Document doc = load();
    ObjId t = obj(doc, "t");
    assertEquals("hello! world", doc.text(t));
    assertEquals(List.of(new Mark(0, 6, "bold", ScalarValue.TRUE), new Mark(7, 12, "link", ScalarValue.of("https://x"))),
        doc.marks(t));
    edit("--unmark", "/t", "0", "3", "bold");
    assertEquals(List.of(new Mark(3, 6, "bold", ScalarValue.TRUE), new Mark(7, 12, "link", ScalarValue.of("https://x"))),
        load().marks(t));
  }

  @Test
  void splicesInUtf16Units() {
    edit("--put", "/t", "\"a😀b\"");
    edit("--splice", "/t", "3", "1", "c");
    assertEquals("{\"t\":\"a😀c\"}", json());
  }

  @Test
  void writesNoChangeForAnEditThatEmitsNoOperation() {
    edit("--put", "/a", "1");
    byte[] before = Cli.bytes(file);
    edit("--delete", "/missing");
    edit();
    assertArrayEquals(before, Cli.bytes(file));
    assertEquals(1, Cli.run("doc", "log", file).ok().split("\n").length);
  }

  @Test
  void followsJsonPointerRules() {
    edit("--put", "/l", "[1,2]", "--put", "/t", "\"text\"", "--put", "/m", "{}");
    assertTrue(editFails("--put", "", "1").contains("root"));
    assertTrue(editFails("--delete", "").contains("root"));
    assertTrue(editFails("--put", "/l/01", "1").contains("not a list index"));
    assertTrue(editFails("--put", "/l/-", "1").contains("not a list index"));
    assertTrue(editFails("--put", "/l/2", "1").contains("no such index"));
    assertTrue(editFails("--insert", "/l/3", "1").contains("out of range"));
    assertTrue(editFails("--insert", "/m/x", "1").contains("lists only"));
    assertTrue(editFails("--put", "/missing/x", "1").contains("no such key: /missing"));
    assertTrue(editFails("--put", "/t/0", "1").contains("text"));
    assertTrue(editFails("--put", "/t/0/x", "1").contains("text"));
    assertTrue(editFails("--put", "a", "1").contains("JSON Pointer"));
    assertTrue(editFails("--put", "/a~2", "1").contains("~"));
    assertTrue(editFails("--splice", "/m", "0", "0", "x").contains("not a text"));
    assertTrue(editFails("--splice", "/t", "5", "0", "x").contains("outside"));
    assertTrue(editFails("--increment", "/l/0", "1").contains("not a counter"));
    edit("--insert", "/l/-", "3", "--insert", "/l/0", "0");
    assertEquals("{\"l\":[0,1,2,3],\"m\":{},\"t\":\"text\"}", json());
  }

  @Test
  void reportsBadOperationsInOneLine() {
    assertTrue(editFails("--put", "/a", "hello").contains("in quotes"));
    assertTrue(editFails("--put", "/a").contains("missing its JSON"));
    assertTrue(editFails("--frobnicate").contains("unknown operation"));
    assertTrue(editFails("--as", "int").contains("--as must follow"));
    assertTrue(editFails("--splice", "/t", "x", "0", "a").contains("INDEX"));
    assertTrue(editFails("--mark", "/t", "0", "1", "b", "[1]").contains("mark value"));
    assertTrue(editFails("--put", "/a", "1", "--expand", "both").contains("--expand must follow"));
  }

  @Test
  void keepsTextThatLooksLikeAnArgumentFileOrANumber() {
    edit("--put", "/t", "\"\"", "--splice", "/t", "0", "0", "@user", "--put", "/n", "-5");
    assertEquals("{\"n\":-5,\"t\":\"@user\"}", json());
  }
}
