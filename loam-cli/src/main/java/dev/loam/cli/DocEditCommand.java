package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.ExpandMark;
import dev.loam.cli.JsonValues.As;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code loam doc edit FILE OPERATION...}: one change made of the operations, applied in order.
 * The operations are parsed here rather than by picocli because their order matters and {@code
 * --as}/{@code --expand} qualify the operation right before them.
 */
@Command(
    name = "edit",
    mixinStandardHelpOptions = true,
    description = "Apply OPERATIONs in order to FILE as one change; write nothing if they change nothing.",
    footer = {
      "",
      "PATH is a JSON Pointer (\"/todo/0/title\"); in a list, '-' (--insert only)",
      "means after the last element.",
      "Operations:",
      "  --put PATH JSON [--as TYPE]      set a key, or replace a list element",
      "  --insert PATH JSON [--as TYPE]   insert into a list before PATH's index",
      "  --delete PATH                    delete a key or a list element",
      "  --splice PATH INDEX DELETE TEXT  edit a text (UTF-16 indexes)",
      "  --increment PATH N               add N to a counter",
      "  --mark PATH START END NAME JSON [--expand E]",
      "  --unmark PATH START END NAME [--expand E]",
      "  --message TEXT                   the change's message",
      "JSON values are typed as Automerge JS types them: strings become text,",
      "integral numbers that fit 64 bits ints, other numbers f64.",
      "TYPE: counter, int, uint, f64, timestamp (ms), bytes (base64),",
      "      str (a scalar string), text.",
      "E: before, after (the default), both, none."
    })
final class DocEditCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "OPERATION", description = "See below.")
  List<String> args = new ArrayList<>();

  @Mixin WriteOptions write;

  /** The parsed command line: operations in order, and the message. */
  record Script(List<EditOp> ops, @Nullable String message) {}

  @Override
  public Integer call() {
    Script script = parse(args);
    long time = write.seconds();
    var actor = write.actorHex == null ? null : write.actor();
    Document doc = DocFiles.load(file);
    if (actor != null) {
      doc.setActor(actor);
    }
    var change = doc.transact(new CommitOptions(Optional.ofNullable(script.message()), OptionalLong.of(time)), tx -> {
      for (EditOp op : script.ops()) {
        op.apply(tx);
      }
    });
    if (change.isPresent()) {
      DocFiles.save(doc, file);
    }
    return 0;
  }

  static Script parse(List<String> args) {
    List<EditOp> ops = new ArrayList<>();
    @Nullable String message = null;
    int i = 0;
    while (i < args.size()) {
      String opt = args.get(i);
      Cursor c = new Cursor(args, i + 1, opt);
      switch (opt) {
        case "--put", "--insert" -> {
          JsonPointer path = c.path();
          String json = c.next("JSON");
          As as = null;
          if (c.peek("--as")) {
            c.next("--as");
            as = As.parse(c.next("TYPE"));
          }
          JsonNode value = JsonValues.parse(json, opt + " " + path);
          ops.add(opt.equals("--put") ? new EditOp.Put(path, value, as) : new EditOp.Insert(path, value, as));
        }
        case "--delete" -> ops.add(new EditOp.Delete(c.path()));
        case "--splice" -> ops.add(new EditOp.Splice(c.path(), c.count("INDEX"), c.count("DELETE"), c.next("TEXT")));
        case "--increment" -> ops.add(new EditOp.Increment(c.path(), c.integer("N")));
        case "--mark" -> {
          JsonPointer path = c.path();
          int start = c.count("START");
          int end = c.count("END");
          String name = c.next("NAME");
          String text = c.next("JSON");
          dev.loam.ScalarValue v = markValue(JsonValues.parse(text, "--mark " + path), text, path);
          ops.add(new EditOp.Mark(path, start, end, name, v, c.expand()));
        }
        case "--unmark" -> {
          JsonPointer path = c.path();
          ops.add(new EditOp.Unmark(path, c.count("START"), c.count("END"), c.next("NAME"), c.expand()));
        }
        case "--message" -> {
          if (message != null) {
            throw new CliException("--message is given twice");
          }
          message = c.next("TEXT");
        }
        case "--as" -> throw new CliException("--as must follow the JSON value of a --put or --insert");
        case "--expand" -> throw new CliException("--expand must follow a --mark or --unmark");
        default -> throw new CliException(
            opt.startsWith("-") ? "unknown operation: " + opt : "expected an operation (--put, --insert, --delete, --splice, --increment, --mark, --unmark, --message), not \"" + opt + "\"");
      }
      i = c.position;
    }
    return new Script(List.copyOf(ops), message);
  }

  private static dev.loam.ScalarValue markValue(JsonNode json, String text, JsonPointer path) {
    try {
      return JsonValues.markValue(json, text);
    } catch (CliException e) {
      throw new CliException("--mark " + path + ": " + e.getMessage());
    }
  }

  private static final class Cursor {
    private final List<String> args;
    private final String option;
    int position;

    Cursor(List<String> args, int position, String option) {
      this.args = args;
      this.position = position;
      this.option = option;
    }

    String next(String what) {
      if (position >= args.size()) {
        throw new CliException(option + " is missing its " + what);
      }
      return args.get(position++);
    }

    boolean peek(String arg) {
      return position < args.size() && args.get(position).equals(arg);
    }

    JsonPointer path() {
      return JsonPointer.parse(next("PATH"));
    }

    long integer(String what) {
      String s = next(what);
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new CliException(option + ": " + what + " is a whole number that fits 64 bits, not \"" + s + "\"");
      }
    }

    int count(String what) {
      String s = next(what);
      if (!s.matches("[0-9]+")) {
        throw new CliException(option + ": " + what + " is a non-negative whole number, not \"" + s + "\"");
      }
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new CliException(option + ": " + what + " is too large: " + s);
      }
    }

    ExpandMark expand() {
      if (!peek("--expand")) {
        return ExpandMark.AFTER;
      }
      position++;
      String e = next("--expand value");
      return switch (e) {
        case "before" -> ExpandMark.BEFORE;
        case "after" -> ExpandMark.AFTER;
        case "both" -> ExpandMark.BOTH;
        case "none" -> ExpandMark.NONE;
        default -> throw new CliException("--expand takes before, after, both or none, not \"" + e.toLowerCase(Locale.ROOT) + "\"");
      };
    }
  }
}
