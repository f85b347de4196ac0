package dev.loam.internal.doc;

import dev.loam.Document;

/** Reaches the engine behind a document, for tests that check what the API does not show (waiting changes, sizes). */
public final class Engines {
  private Engines() {}

  /** The engine of {@code doc}, after committing its implicit transaction. */
  public static DocEngine of(Document doc) {
    // the sync view a document hands out is its engine
    return (DocEngine) doc.syncDoc();
  }
}
