package dev.loam.internal.doc;

import dev.loam.Document;
import java.util.function.Function;

/**
 * Reaches the engine behind a {@link Document} from Loam's own packages (the sync protocol)
 * without widening the public API: {@code Document} installs the accessor when its class is
 * initialised. Not exported from the module.
 */
public final class EngineAccess {
  private static volatile Function<Document, DocEngine> accessor;

  private EngineAccess() {}

  /** Called once, by {@code Document}'s static initialiser. */
  public static void install(Function<Document, DocEngine> f) {
    if (accessor != null) {
      throw new IllegalStateException("the engine accessor is already installed");
    }
    accessor = f;
  }

  /** The engine of {@code doc}, after committing its implicit transaction. */
  public static DocEngine engine(Document doc) {
    doc.commit();
    return accessor.apply(doc);
  }
}
