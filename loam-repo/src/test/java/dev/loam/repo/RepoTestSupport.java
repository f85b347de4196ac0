package dev.loam.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers shared by the repo tests. */
final class RepoTestSupport {
  private RepoTestSupport() {}

  static void await(String what, BooleanSupplier condition) {
    await(() -> what, condition);
  }

  static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static DocHandle ready(DocHandle h) {
    try {
      return h.whenReady().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("document " + h.documentId() + " did not become ready (" + h.state() + ")", e);
    }
  }

  /** Waits until every handle has the same heads, then checks they also have the same JSON. */
  static void awaitConverged(List<DocHandle> handles) {
    await(() -> "every copy has the same heads: " + handles + " " + handles.stream().map(h -> h.heads().toString()).toList(), () -> {
      Heads first = handles.getFirst().heads();
      return handles.stream().allMatch(h -> h.isReady() && h.heads().equals(first));
    });
    String json = handles.getFirst().toJson();
    for (DocHandle h : handles) {
      assertEquals(json, h.toJson());
    }
  }

  /** Appends {@code item} to the list under {@code "items"}, creating it when missing. */
  static void append(DocHandle h, String item) {
    h.change(tx -> {
      ObjId items = tx.get(ObjId.ROOT, "items")
          .map(v -> ((Value.Obj) v).id())
          .orElseGet(() -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
      tx.insert(items, tx.length(items), ScalarValue.of(item));
    });
  }

  static int items(DocHandle h) {
    return h.read(d -> d.get(ObjId.ROOT, "items").map(v -> d.length(((Value.Obj) v).id())).orElse(0));
  }
}
