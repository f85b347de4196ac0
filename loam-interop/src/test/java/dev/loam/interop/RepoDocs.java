package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ChangeHash;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/** The Loam side of the repo interop tests' `{items: [...]}` document (see js/repo-docs.mjs). */
final class RepoDocs {
  private RepoDocs() {}

  /**
   * Waits until {@code condition} holds, checking it every 20 ms for up to 30 s. For state that
   * sends no event to this JVM (a node process's heads, a server's counters); a handle's own state
   * is awaited on its events instead.
   */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20); // a poll interval: these states announce no change to this JVM
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }

  /** The handle's heads as JS reports them: hex, sorted. */
  static JsonNode hexHeads(DocHandle h) {
    List<String> hex = new ArrayList<>();
    for (ChangeHash c : h.heads()) {
      hex.add(c.hex());
    }
    hex.sort(null);
    return NodeDriver.JSON.valueToTree(hex);
  }

  /** Appends {@code text} to the document's items list. */
  static void append(DocHandle h, String text) {
    h.change(tx -> {
      ObjId items = ((Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
      tx.insert(items, tx.length(items), ScalarValue.of(text));
    });
  }
}
