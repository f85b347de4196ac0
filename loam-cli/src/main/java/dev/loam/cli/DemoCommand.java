package dev.loam.cli;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code loam demo}: a short tour of the document model — create, edit text, fork and edit
 * concurrently, merge, conflicts, history. Actors and times are fixed, so it prints the same
 * every time.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Show what Loam documents do, in a short scripted session.")
final class DemoCommand implements Callable<Integer> {
  static final ActorId ALICE = ActorId.fromHex("a11ce000a11ce000a11ce000a11ce000");
  static final ActorId BOB = ActorId.fromHex("b0b00000b0b00000b0b00000b0b00000");
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L));

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print("Loam documents are JSON-like trees that many people edit at once, offline or not,\n"
        + "and that always merge to the same result. This session runs on Loam's Java API.\n\n");

    out.print("1. Alice creates a document: a title (text) and a shopping list.\n");
    Document alice = Document.create(ALICE, CLOCK);
    ObjId[] ids = new ObjId[2];
    alice.transact(CommitOptions.message("Create the list"), tx -> {
      ids[0] = tx.putText(ObjId.ROOT, "title", "Shopping");
      ids[1] = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
      tx.insert(ids[1], 0, ScalarValue.of("milk"));
      tx.put(ObjId.ROOT, "done", ScalarValue.counter(0));
    });
    ObjId title = ids[0];
    ObjId items = ids[1];
    show(out, alice);

    out.print("\n2. Bob forks it (as if he had synced it to his laptop) and goes offline.\n");
    Document bob = alice.fork();
    bob.setActor(BOB);

    out.print("   Alice edits the title, adds eggs, counts one done (a counter) and sets colour \"green\".\n");
    alice.transact(CommitOptions.message("Alice's edits"), tx -> {
      tx.spliceText(title, 8, 0, " for Sunday");
      tx.insert(items, 1, ScalarValue.of("eggs"));
      tx.put(ObjId.ROOT, "colour", ScalarValue.of("green"));
      tx.increment(ObjId.ROOT, "done", 1);
    });
    show(out, alice);

    out.print("   Bob, meanwhile, capitalises the title, adds bread first, counts two done, sets \"blue\".\n");
    bob.transact(CommitOptions.message("Bob's edits"), tx -> {
      tx.spliceText(title, 0, 8, "SHOPPING");
      tx.insert(items, 0, ScalarValue.of("bread"));
      tx.put(ObjId.ROOT, "colour", ScalarValue.of("blue"));
      tx.increment(ObjId.ROOT, "done", 2);
    });
    show(out, bob);

    out.print("\n3. They meet again and merge, each into their own copy.\n");
    alice.merge(bob);
    bob.merge(alice);
    show(out, alice);
    out.print("   Both copies are equal: " + alice.toJson().equals(bob.toJson())
        + "; same heads: " + alice.heads().equals(bob.heads()) + ".\n");
    out.print("   Text and list edits interleave, the counter adds both increments (1 + 2).\n");

    out.print("\n4. \"colour\" was set concurrently: a conflict. Every value is kept; one wins everywhere.\n");
    List<Value> all = alice.getAll(ObjId.ROOT, "colour");
    out.print("   getAll(colour) = " + describe(all) + ", get(colour) = "
        + describe(alice.get(ObjId.ROOT, "colour").stream().toList()).replaceAll("^\\[|\\]$", "")
        + "\n   (the write with the greatest operation id wins, on every replica)\n");

    out.print("\n5. History: every change, with its actor, dependencies and message.\n");
    for (Change c : alice.changes()) {
      out.print("   " + c.hash().hex().substring(0, 12) + "  " + (c.actor().equals(ALICE) ? "alice" : "bob  ")
          + "  seq " + c.seq() + "  deps " + c.deps().size() + "  " + c.message().orElse("") + "\n");
    }
    Change first = alice.changes().getFirst();
    out.print("   As of the first change: " + alice.toJson(Heads.of(first.hash())) + "\n");
    out.print("\nTry the same from the shell: ./loam doc --help\n");
    out.flush();
    return 0;
  }

  private static void show(PrintWriter out, Document doc) {
    out.print("   " + (doc.actor().equals(ALICE) ? "alice" : "bob  ") + ": " + doc.toJson() + "\n");
  }

  private static String describe(List<Value> values) {
    StringBuilder sb = new StringBuilder("[");
    for (Value v : values) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(v instanceof ScalarValue.Str s ? "\"" + s.value() + "\"" : v.toString());
    }
    return sb.append(']').toString();
  }
}
