package dev.loam.interop;

import dev.loam.ChangeHash;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocHandle;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The Loam side of the repo interop tests' `{items: [...]}` document (see js/repo-docs.mjs). */
final class RepoDocs {
  private RepoDocs() {}

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
