package dev.loam.typed;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.Prop;
import dev.loam.ReadDoc;
import dev.loam.Transaction;
import dev.loam.Value;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps one Java record (or Kotlin data class, or class with a primary constructor) to a map object
 * of a document: {@link #read} builds a value from the document as it is or as of any heads;
 * {@link #reconcile} writes a value by emitting only the operations that make the document hold
 * it.
 *
 * <p>Each component is a map key of its name. {@code String} is a scalar string, or collaborative
 * text when marked {@link Text}; {@code boolean}, the integral and floating-point numbers (primitive
 * or boxed), {@code java.time.Instant} (a timestamp, millisecond precision), {@code byte[]}, enums
 * (by constant name) and {@link Counter} are scalars; {@code List}, {@code Map<String, V>} and nested
 * records are objects; {@code Optional} and {@code null} are an absent key. On read a missing key
 * (or {@code null}) gives the component's {@link Default}, else the Java default (zero, false,
 * empty, null); keys the class does not declare are ignored, and a write leaves them as they are,
 * so an older version of the app keeps a newer one's fields. A value of another type than declared
 * is a {@link TypeMismatchException} naming its JSON pointer.
 *
 * <pre>{@code
 * record Task(@Key String id, @Text String title, boolean done) {}
 * record Board(@Text String name, List<Task> tasks, Counter visits) {}
 *
 * Mapper<Board> boards = Mapper.of(Board.class);
 * Board board = boards.read(doc);                          // or read(doc, heads): as of any heads
 * doc.transact(tx -> boards.reconcile(tx, new Board(board.name(), board.tasks(), board.visits().plus(1))));
 * }</pre>
 *
 * <p>Concurrent reconciliations merge as concurrent hand edits would: two replicas that change
 * different components both keep their change, text edits merge per character, counters add up,
 * and list elements inserted on both sides are all kept.
 *
 * <p>Reflection: the mapper is built once per class ({@link #of(Class)} caches it). On the class
 * path nothing is needed. In a named module, open the model's package to {@code dev.loam.typed}
 * ({@code opens com.example.model to dev.loam.typed;}) or pass the module's own lookup:
 * {@code Mapper.of(Board.class, MethodHandles.lookup())}. A class that is not a record needs its
 * constructor parameter names in the class file: {@code javac -parameters}, or
 * {@code kotlinc -java-parameters} ({@code <javaParameters>true</javaParameters>} in Maven).
 *
 * <p>Immutable and thread-safe; reads and writes run on the document, which is not thread-safe.
 *
 * @param <T> the mapped class
 */
public final class Mapper<T> {
  private static final ClassValue<Mapper<?>> CACHE = new ClassValue<>() {
    @Override
    protected Mapper<?> computeValue(Class<?> type) {
      return new Mapper<>(type, Compiler.compile(type, null));
    }
  };

  private final Class<T> type;
  private final Codec.Shape shape;

  private Mapper(Class<T> type, Codec.Shape shape) {
    this.type = type;
    this.shape = shape;
  }

  /**
   * The mapper of {@code type}, built on first use and cached.
   *
   * @throws MappingException if {@code type} or a type it contains cannot be mapped
   */
  @SuppressWarnings("unchecked")
  public static <T> Mapper<T> of(Class<T> type) {
    return (Mapper<T>) CACHE.get(type);
  }

  /**
   * A mapper of {@code type} that reaches its classes through {@code lookup} (pass
   * {@code MethodHandles.lookup()} from the module that owns them); not cached.
   *
   * @throws MappingException if {@code type} or a type it contains cannot be mapped
   */
  public static <T> Mapper<T> of(Class<T> type, MethodHandles.Lookup lookup) {
    return new Mapper<>(type, Compiler.compile(type, Objects.requireNonNull(lookup)));
  }

  /** The mapped class. */
  public Class<T> type() {
    return type;
  }

  /**
   * The document's root as a {@code T}.
   *
   * @throws TypeMismatchException if it holds another type where {@code T} declares a component
   * @throws MappingException if {@code T}'s constructor refuses the values (a Kotlin non-null property that is missing)
   */
  public T read(ReadDoc doc) {
    return read(new View(doc, null), List.of());
  }

  /** The document's root as a {@code T}, as of {@code heads}. */
  public T read(ReadDoc doc, Heads heads) {
    return read(new View(doc, heads), List.of());
  }

  /**
   * The map object at {@code path} (keys and list indexes from the root) as a {@code T}.
   *
   * @throws TypeMismatchException if there is no map at {@code path}, or it holds another type where {@code T} declares a component
   */
  public T read(ReadDoc doc, List<Prop> path) {
    return read(new View(doc, null), path);
  }

  /** As {@link #read(ReadDoc, List)}, as of {@code heads}. */
  public T read(ReadDoc doc, List<Prop> path, Heads heads) {
    return read(new View(doc, heads), path);
  }

  /**
   * Writes {@code value} into the document's root with the fewest operations that make
   * {@link #read} return it; keys {@code T} does not declare are left alone.
   *
   * @throws TypeMismatchException before any write if a list's current elements are not of the declared type
   */
  public void reconcile(Transaction tx, T value) {
    new Reconciler(tx).object(shape, ObjId.ROOT, Objects.requireNonNull(value), "");
  }

  /**
   * Writes {@code value} at {@code path}: into the map there, or a new map if the key is missing
   * (or holds something else). Every step but the last must exist.
   *
   * @throws TypeMismatchException if a step of {@code path} is missing or not an object
   */
  public void reconcile(Transaction tx, List<Prop> path, T value) {
    Objects.requireNonNull(value);
    if (path.isEmpty()) {
      reconcile(tx, value);
      return;
    }
    View view = new View(tx, null);
    ObjId parent = walk(view, path.subList(0, path.size() - 1));
    String where = pointer(path);
    Reconciler.Slot slot = switch (path.getLast()) {
      case Prop.Key k -> new Reconciler.Slot.At(parent, k.key());
      case Prop.Index i -> new Reconciler.Slot.Index(parent, i.index());
    };
    new Reconciler(tx).reconcile(new Codec.Obj(shape), slot, value, where);
  }

  private T read(View view, List<Prop> path) {
    ObjId id = walk(view, path);
    Optional<ObjType> objType = view.doc.objType(id);
    if (objType.isEmpty() || objType.get().isSequence()) {
      throw new TypeMismatchException(pointer(path), "a map (" + type.getSimpleName() + ")", objType.map(t -> "a " + t).orElse("nothing"));
    }
    return type.cast(Hydrator.object(view, shape, id, pointer(path)));
  }

  /** The object at {@code path}. */
  private static ObjId walk(View view, List<Prop> path) {
    ObjId id = ObjId.ROOT;
    String at = "";
    for (Prop p : path) {
      Optional<Value> v = switch (p) {
        case Prop.Key k -> view.get(id, k.key());
        case Prop.Index i -> view.get(id, i.index());
      };
      at = at + "/" + escape(p);
      if (!(v.isPresent() && v.get() instanceof Value.Obj o)) {
        throw new TypeMismatchException(at, "an object", View.describe(v));
      }
      id = o.id();
    }
    return id;
  }

  private static String pointer(List<Prop> path) {
    StringBuilder sb = new StringBuilder();
    for (Prop p : path) {
      sb.append('/').append(escape(p));
    }
    return sb.toString();
  }

  private static String escape(Prop p) {
    return p.toString().replace("~", "~0").replace("/", "~1");
  }

  @Override
  public String toString() {
    return "Mapper(" + type.getName() + ")";
  }
}
