package dev.loam.internal.doc;

import dev.loam.Transaction;
import java.util.Objects;

/**
 * The door from a {@link Transaction} of the public API to the engine and local transaction behind
 * it, for this module's packages outside {@code dev.loam} ({@code dev.loam.undo}). Not API: the
 * package is not exported. {@code dev.loam}'s transaction base class registers the door when it is
 * initialised, which happens before any transaction exists. Thread-safe.
 */
public final class EngineAccess {
  /** What {@code dev.loam} provides: a transaction's engine, and the local transaction its writes go to. */
  public interface Door {
    /** The engine behind {@code tx}, as it is (nothing committed, nothing begun). */
    DocEngine engine(Transaction tx);

    /** The local transaction {@code tx}'s writes go to (begun if {@code tx} is a document with none open). */
    LocalTx localTx(Transaction tx);
  }

  private static volatile Door door;

  private EngineAccess() {}

  /** Called once, by {@code dev.loam.TransactionBase}. */
  public static void register(Door d) {
    door = Objects.requireNonNull(d);
  }

  /** @throws IllegalArgumentException if {@code tx} is not one of Loam's documents or transactions */
  public static DocEngine engine(Transaction tx) {
    return door().engine(tx);
  }

  /** @throws IllegalArgumentException if {@code tx} is not one of Loam's documents or transactions */
  public static LocalTx localTx(Transaction tx) {
    return door().localTx(tx);
  }

  private static Door door() {
    Door d = door;
    if (d == null) {
      // no Loam document or transaction exists yet, so this one is not one
      throw new IllegalArgumentException("not a Loam document or transaction");
    }
    return d;
  }
}
