package dev.loam.internal.doc;

import dev.loam.Transaction;
import java.util.Objects;
import java.util.function.Function;

/**
 * The door from a {@link Transaction} of the public API to the engine and local transaction behind
 * it, for this module's packages outside {@code dev.loam} ({@code dev.loam.undo}). Not API: the
 * package is not exported. {@code dev.loam}'s transaction base class registers the door when it is
 * initialised, which happens before any transaction exists. Thread-safe.
 */
public final class EngineAccess {
  /** A transaction's engine and the local transaction its writes go to. */
  public record Open(DocEngine engine, LocalTx tx) {}

  private static volatile Function<Transaction, Open> door;

  private EngineAccess() {}

  /** Called once, by {@code dev.loam.TransactionBase}. */
  public static void register(Function<Transaction, Open> d) {
    door = Objects.requireNonNull(d);
  }

  /**
   * The engine of {@code tx} and its open local transaction (begun if {@code tx} is a document
   * with none open).
   *
   * @throws IllegalArgumentException if {@code tx} is not one of Loam's documents or transactions
   */
  public static Open open(Transaction tx) {
    return Objects.requireNonNull(door, "no Loam transaction exists yet").apply(tx);
  }
}
