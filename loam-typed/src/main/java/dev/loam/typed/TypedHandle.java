package dev.loam.typed;

import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Heads;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.DocumentUnavailableException;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A repo document seen as a value of {@code T}: read it with {@link #value()}, change it with
 * {@link #update} or {@link #set} (which reconcile the new value into the fewest operations), and
 * follow it with {@link #subscribe} on the thread the app chooses.
 *
 * <pre>{@code
 * TypedHandle<Board> board = TypedHandle.of(repo.create(), Board.class);
 * board.subscribe(SwingUtilities::invokeLater, b -> view.show(b));   // on the UI thread, in order
 * board.update(b -> new Board(b.name(), b.tasks(), b.visits().plus(1)));
 * }</pre>
 *
 * <p>Thread-safe, as the {@link DocHandle} it wraps: reads and updates run on the caller's thread
 * under the handle's memory lock; listeners run on their executor.
 *
 * @param <T> the document's class
 */
public final class TypedHandle<T> {
  private final DocHandle handle;
  private final Mapper<T> mapper;

  private TypedHandle(DocHandle handle, Mapper<T> mapper) {
    this.handle = Objects.requireNonNull(handle);
    this.mapper = Objects.requireNonNull(mapper);
  }

  /** {@code handle}'s document as a {@code type}. Does not block. */
  public static <T> TypedHandle<T> of(DocHandle handle, Class<T> type) {
    return new TypedHandle<>(handle, Mapper.of(type));
  }

  /** {@code handle}'s document through {@code mapper}. Does not block. */
  public static <T> TypedHandle<T> of(DocHandle handle, Mapper<T> mapper) {
    return new TypedHandle<>(handle, mapper);
  }

  /**
   * A new document of {@code repo} holding {@code initial} (whose class is the mapped class).
   * Blocks as {@link DocHandle#change}.
   */
  public static <T> TypedHandle<T> create(Repo repo, T initial) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) initial.getClass();
    TypedHandle<T> typed = of(repo.create(), type);
    typed.set(initial);
    return typed;
  }

  /**
   * The document at {@code url} (an {@code automerge:} URL) if present, else a new one holding
   * {@code initial}: what an app does with the URL it was given, or none. Blocks until the document
   * is ready (from storage or a peer).
   *
   * @throws DocumentUnavailableException if neither storage nor any peer has the document
   * @throws IllegalArgumentException if {@code url} is not an {@code automerge:} URL
   */
  public static <T> TypedHandle<T> findOrCreate(Repo repo, Optional<String> url, T initial) {
    if (url.isEmpty()) {
      return create(repo, initial);
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) initial.getClass();
    try {
      return of(repo.find(AutomergeUrl.parse(url.get())).whenReady().join(), type);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Completes with the document at {@code url} as a {@code type} once it is ready. Does not block. */
  public static <T> CompletableFuture<TypedHandle<T>> find(Repo repo, AutomergeUrl url, Class<T> type) {
    return repo.find(url).whenReady().thenApply(h -> of(h, type));
  }

  /** The wrapped handle. */
  public DocHandle handle() {
    return handle;
  }

  /** The document's {@code automerge:} URL. */
  public AutomergeUrl url() {
    return handle.url();
  }

  /** The mapper. */
  public Mapper<T> mapper() {
    return mapper;
  }

  /**
   * The document as it is now. Blocks as {@link DocHandle#read}.
   *
   * @throws TypeMismatchException if it holds another type where {@code T} declares a component
   */
  public T value() {
    return handle.read(mapper::read);
  }

  /** The document as of {@code heads}. Blocks as {@link DocHandle#read}. */
  public T value(Heads heads) {
    return handle.read(doc -> mapper.read(doc, heads));
  }

  /**
   * Reconciles {@code value} into the document as one change. Blocks as {@link DocHandle#change}.
   *
   * @return the change's hash, or empty if the document already held {@code value}
   */
  public Optional<ChangeHash> set(T value) {
    return handle.change(tx -> mapper.reconcile(tx, value));
  }

  /**
   * Applies {@code f} to the current value and reconciles the result, as one change made under
   * the handle's lock (so no other change slips in between the read and the write). Blocks as
   * {@link DocHandle#change}.
   *
   * @return the change's hash, or empty if {@code f} changed nothing
   */
  public Optional<ChangeHash> update(UnaryOperator<T> f) {
    return update(CommitOptions.DEFAULT, f);
  }

  /** As {@link #update(UnaryOperator)}, with a message or time for the change. */
  public Optional<ChangeHash> update(CommitOptions options, UnaryOperator<T> f) {
    return handle.change(options, tx -> mapper.reconcile(tx, f.apply(mapper.read(tx))));
  }

  /**
   * Calls {@code listener} with the document's value after every change (local or from a peer),
   * on {@code executor}, one call at a time, in the order of the changes, even if the executor is
   * a pool. The value is read as of the change's heads when the change happens. A value that
   * fails to map goes to the executor thread's uncaught-exception handler; later changes are still
   * delivered. Close the returned subscription to stop. Does not block.
   */
  public Subscription subscribe(Executor executor, Consumer<? super T> listener) {
    return subscribeChanges(executor, change -> listener.accept(change.value()));
  }

  /** As {@link #subscribe}, with the whole change: value, heads, patches, and which peer brought it. */
  public Subscription subscribeChanges(Executor executor, Consumer<? super TypedChange<T>> listener) {
    SerialDelivery delivery = new SerialDelivery(executor);
    DocHandle.Listener l = new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        T value;
        try {
          value = handle.read(doc -> mapper.read(doc, change.after()));
        } catch (MappingException e) {
          delivery.submit(() -> {
            throw e;
          });
          return;
        }
        TypedChange<T> typed = TypedChange.of(value, change);
        delivery.submit(() -> listener.accept(typed));
      }
    };
    handle.addListener(l);
    return () -> handle.removeListener(l);
  }

  /** A listener's registration; {@link #close()} removes it (changes already queued may still arrive). */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public String toString() {
    return "TypedHandle(" + handle.url() + ", " + mapper.type().getSimpleName() + ")";
  }
}
