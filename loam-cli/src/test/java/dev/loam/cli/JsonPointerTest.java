package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPointerTest {
  @Test
  void parsesRfc6901Pointers() {
    assertTrue(JsonPointer.parse("").isRoot());
    assertEquals(List.of(""), JsonPointer.parse("/").tokens());
    assertEquals(List.of("a", "0", "b"), JsonPointer.parse("/a/0/b").tokens());
    assertEquals(List.of("a/b", "m~n", "~1"), JsonPointer.parse("/a~1b/m~0n/~01").tokens());
    assertEquals(List.of("a", ""), JsonPointer.parse("/a/").tokens());
  }

  @Test
  void rejectsPointersWithoutALeadingSlashOrWithABadEscape() {
    assertThrows(CliException.class, () -> JsonPointer.parse("a"));
    assertThrows(CliException.class, () -> JsonPointer.parse("/a~"));
    assertThrows(CliException.class, () -> JsonPointer.parse("/a~2"));
  }

  @Test
  void readsListIndexesWithoutLeadingZeros() {
    assertEquals(0, JsonPointer.index("0", "/0"));
    assertEquals(10, JsonPointer.index("10", "/10"));
    assertThrows(CliException.class, () -> JsonPointer.index("01", "/01"));
    assertThrows(CliException.class, () -> JsonPointer.index("-", "/-"));
    assertThrows(CliException.class, () -> JsonPointer.index("-1", "/-1"));
    assertThrows(CliException.class, () -> JsonPointer.index("99999999999", "/99999999999"));
  }

  @Test
  void parsesEditOperationsInOrder() {
    var script = DocEditCommand.parse(List.of("--put", "/a", "1", "--as", "counter", "--message", "m",
        "--mark", "/t", "0", "1", "b", "true", "--expand", "both", "--increment", "/a", "-3"));
    assertEquals("m", script.message());
    assertEquals(3, script.ops().size());
    assertTrue(script.ops().get(0) instanceof EditOp.Put p && p.as() == JsonValues.As.COUNTER);
    assertTrue(script.ops().get(1) instanceof EditOp.Mark m && m.expand() == dev.loam.ExpandMark.BOTH);
    assertTrue(script.ops().get(2) instanceof EditOp.Increment i && i.by() == -3);
  }
}
