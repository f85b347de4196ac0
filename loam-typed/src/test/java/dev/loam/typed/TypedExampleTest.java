package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.ActorId;
import dev.loam.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.typed}'s Javadoc: concurrent reconciliations merge per field. */
class TypedExampleTest {
  record Task(@Key String id, @Text String title, boolean done) {}

  record Todo(@Text String name, List<Task> tasks, Counter visits) {}

  @Test
  void twoReplicasReconcileConcurrently() {
    // @start region="example"
    Mapper<Todo> todos = Mapper.of(Todo.class);                 // built once per type, then cached
    Document laptop = Document.create(ActorId.fromHex("aa"));
    laptop.transact(tx -> todos.reconcile(tx, new Todo("Groceries", List.of(new Task("t1", "Milk", false)), Counter.ZERO)));
    Document phone = laptop.fork();
    Todo seen = todos.read(laptop);

    // each replica writes a whole new value; only what differs becomes operations (tasks matched by @Key)
    laptop.transact(tx -> todos.reconcile(tx, new Todo("Groceries", List.of(new Task("t1", "Oat milk", false)), seen.visits().plus(1))));
    phone.transact(tx -> todos.reconcile(tx, new Todo("Weekly groceries", List.of(new Task("t1", "Milk", true)), seen.visits().plus(1))));
    laptop.merge(phone);
    Todo merged = todos.read(laptop);     // name and done from the phone, title from the laptop, 2 visits
    // @end
    assertEquals(new Todo("Weekly groceries", List.of(new Task("t1", "Oat milk", true)), Counter.ZERO.plus(2)), merged);
    assertEquals("{\"name\":\"Weekly groceries\",\"tasks\":[{\"done\":true,\"id\":\"t1\",\"title\":\"Oat milk\"}],\"visits\":2}", laptop.toJson());
  }
}
