package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocImportCommandTest {
  @TempDir Path dir;

  private Path importJson(String json, String... extra) {
    Path in = Cli.write(dir.resolve("in.json"), json);
    Path out = dir.resolve("out.automerge");
    String[] args = new String[4 + extra.length];
    args[0] = "doc";
    args[1] = "import";
    args[2] = in.toString();
    args[3] = out.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    Cli.run(args).ok();
    return out;
  }

  @Test
  void importsNestedJsonAsOneChangeWithTheGivenActorAndTime() {
    String json = "{\"title\":\"héllo 🌍\",\"list\":[1,\"two\",{\"x\":null}],\"ok\":true,\"nested\":{\"a\":{\"b\":[]}}}";
    Path out = importJson(json, "--actor", "AABBCCDD", "--time", "1700000000");
    assertEquals(Cli.json(json), Cli.json(Cli.run("doc", "json", out).ok()));
    String log = Cli.run("doc", "log", out).ok();
    assertEquals(1, log.split("\n").length);
    var change = Cli.json(log);
    assertEquals("aabbccdd", change.get("actor").stringValue());
    assertEquals(1700000000L, change.get("time").longValue());
    assertEquals(1, change.get("seq").intValue());
    assertTrue(change.get("message").isNull());
  }

  @Test
  void typesValuesAsAutomergeJsDoes() {
    Path out = importJson("{\"s\":\"text\",\"i\":1.0,\"e\":1e3,\"f\":1.5,\"neg\":-0,\"big\":9007199254740993,"
        + "\"min\":-9223372036854775808,\"over\":9223372036854775808,\"huge\":1e30,\"tiny\":1e-7}");
    assertEquals("{\"big\":9007199254740993,\"e\":1000,\"f\":1.5,\"huge\":1e+30,\"i\":1,"
            + "\"min\":-9223372036854775808,\"neg\":0,\"over\":9223372036854776000,\"s\":\"text\",\"tiny\":1e-7}"
            + "\n",
        Cli.run("doc", "json", out).ok());
    Document doc = Document.load(Cli.bytes(out));
    assertInstanceOf(Value.Obj.class, doc.get(ObjId.ROOT, "s").orElseThrow());
    assertEquals(ObjType.TEXT, ((Value.Obj) doc.get(ObjId.ROOT, "s").orElseThrow()).type());
    assertEquals(ScalarValue.of(1L), doc.get(ObjId.ROOT, "i").orElseThrow());
    assertEquals(ScalarValue.of(1000L), doc.get(ObjId.ROOT, "e").orElseThrow());
    assertEquals(ScalarValue.of(0L), doc.get(ObjId.ROOT, "neg").orElseThrow());
    assertEquals(ScalarValue.of(9007199254740993L), doc.get(ObjId.ROOT, "big").orElseThrow());
    assertEquals(ScalarValue.of(1.5), doc.get(ObjId.ROOT, "f").orElseThrow());
    assertEquals(ScalarValue.of(9223372036854775808.0), doc.get(ObjId.ROOT, "over").orElseThrow());
    assertEquals(ScalarValue.of(1e30), doc.get(ObjId.ROOT, "huge").orElseThrow());
  }

  @Test
  void writesKeysInJavaScriptsPropertyOrder() {
    Path out = importJson("{\"b\":{},\"10\":{},\"a\":{},\"2\":{},\"01\":{}}");
    Document doc = Document.load(Cli.bytes(out));
    // JS enumerates "2", "10", then "b", "a", "01" in text order; the op creating each map shows it.
    String[] order = {"2", "10", "b", "a", "01"};
    for (int i = 0; i < order.length; i++) {
      Value.Obj obj = (Value.Obj) doc.get(ObjId.ROOT, order[i]).orElseThrow();
      assertEquals(i + 1, obj.id().counter(), order[i]);
    }
  }

  @Test
  void writesTheSameChangeAsAutomergeJs() {
    // Expected hash from @automerge/automerge 3.5.0 on node 20:
    //   change(init({actor: "aabbccdd"}), {time: 1700000000}, d => Object.assign(d, JSON.parse(text)))
    // JS writes the root keys in JavaScript's property order, then fills each value breadth first,
    // nested map keys in code point order. (Nested zero or negative numbers are left out: JS 3.5.0
    // types those as f64, where the CLI contract says int.)
    String text = """
        {"b":1,"10":"ten","a":{"x":[1,2.5,"s",true,null,{"y":3}],"é":{"q":[[1],{"k":"v"}]},"B":"","😀":1,"\\uffff":2},\
        "2":1e3,"t":"héllo 🌍","01":1.0,"big":9007199254740991,"f":0.1,"e":[],"o":{}}
        """;
    Path out = importJson(text, "--actor", "aabbccdd", "--time", "1700000000");
    assertEquals("42da289a05ea15ad8c9281127f283003de5e5ea01850838e8897b703f42b1ce8\n", Cli.run("doc", "heads", out).ok());
  }

  @Test
  void importsAnEmptyObjectAsTheEmptyDocument() {
    Path out = importJson("{}");
    assertEquals("856f4a83b81a9544000400000000", java.util.HexFormat.of().formatHex(Cli.bytes(out)));
  }

  @Test
  void rejectsJsonThatIsNotAnObjectOrNotJson() {
    Path out = dir.resolve("out.automerge");
    Path array = Cli.write(dir.resolve("a.json"), "[1]");
    assertTrue(Cli.run("doc", "import", array, out).failed().contains("JSON object"));
    Path bad = Cli.write(dir.resolve("b.json"), "{\"a\":");
    assertTrue(Cli.run("doc", "import", bad, out).failed().contains("not JSON"));
    Path trailing = Cli.write(dir.resolve("c.json"), "{} {}");
    assertTrue(Cli.run("doc", "import", trailing, out).failed().contains("not JSON"));
    assertFalse(Files.exists(out));
  }
}
