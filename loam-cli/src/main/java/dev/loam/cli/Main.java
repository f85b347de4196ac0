package dev.loam.cli;

import dev.loam.LoamException;
import dev.loam.secure.AccessDeniedException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code loam} command. Every subcommand prints only its own output on stdout; a failure is
 * one line on stderr and a non-zero exit code: 1 when the command failed, 2 when it was called
 * wrongly, 3 when the identity it acts as may not do it (a secure document it may not read or edit),
 * 4 when {@code loam search} is given an invalid query.
 */
@Command(
    name = "loam",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Loam: local-first documents, byte-compatible with Automerge.")
public final class Main implements Runnable {
  /**
   * The subcommands, in the order of {@code loam --help}. Not in {@code @Command(subcommands)}:
   * picocli would build the model of every command on every start; {@link #commandLine} adds only
   * the one a command line names (start-up time), all of them otherwise.
   */
  /** The command groups and their commands (a group's annotation names none: they are added here, lazily). */
  private static final Map<Class<?>, List<Class<?>>> GROUPS = Map.of(DocCommand.class, DocCommand.COMMANDS,
      RepoCommand.class, RepoCommand.COMMANDS, IdCommand.class, IdCommand.COMMANDS, BackupCommand.class, BackupCommand.COMMANDS);
  private static final List<Class<?>> SUBCOMMANDS = List.of(
      DocCommand.class, DemoCommand.class, ServeCommand.class, RepoCommand.class, SyncCommand.class, IdCommand.class,
      SearchCommand.class, BackupCommand.class, PeerCommand.class);

  /** Exit code of a command that failed. */
  static final int FAILED = 1;
  /** Exit code of a command called wrongly. */
  static final int USAGE = 2;
  /** Exit code of a command whose identity may not do what it asked (read or edit a secure document). */
  static final int DENIED = 3;

  @Spec CommandSpec spec;

  /** Raw standard input and output, for commands that speak a binary protocol over them. */
  final InputStream stdin;
  final OutputStream stdout;
  /** Whether {@code out} is the process's standard output and that is a terminal (for bold text). */
  final boolean terminal;

  private Main(InputStream stdin, OutputStream stdout, boolean terminal) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.terminal = terminal;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: try 'loam doc --help' or 'loam demo'");
  }

  /**
   * Lucene says on stderr, through java.util.logging, that it runs without the incubating Vector
   * API; the command's stderr is for its own messages. Held here: the logging system keeps loggers
   * weakly, and a collected logger would forget its level.
   */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  public static void main(String[] args) {
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.OFF);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = commandLine(System.in, System.out, out, err, CommandLine.Help.Ansi.AUTO.enabled(), args).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs {@code loam args...} writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(InputStream.nullInputStream(), OutputStream.nullOutputStream(), out, err, args);
  }

  /**
   * Runs {@code loam args...} with raw standard input and output as well: {@code stdin} and
   * {@code stdout} carry a command's binary protocol ({@code doc sync-stdio}), {@code out} and
   * {@code err} its text. Returns the exit code.
   */
  public static int run(InputStream stdin, OutputStream stdout, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(stdin, stdout, out, err, false, args).execute(args);
  }

  /** The whole command tree. */
  static CommandLine commandLine(InputStream stdin, OutputStream stdout, PrintWriter out, PrintWriter err) {
    return commandLine(stdin, stdout, out, err, false);
  }

  /**
   * The command tree for {@code argv}: when {@code argv[0]} names a built-in subcommand, only that
   * one (its help, errors and behaviour are the same; the others are never looked at), else all of
   * them and the extra ones from the class path, so that {@code loam --help} and a mistyped name
   * see every command.
   */
  static CommandLine commandLine(InputStream stdin, OutputStream stdout, PrintWriter out, PrintWriter err, boolean terminal,
      String... argv) {
    CommandLine cl = new CommandLine(new Main(stdin, stdout, terminal));
    Optional<Class<?>> named = argv.length == 0 ? Optional.empty()
        : SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(argv[0])).findFirst();
    for (Class<?> c : named.map(List::<Class<?>>of).orElse(SUBCOMMANDS)) {
      cl.addSubcommand(c);
      List<Class<?>> group = GROUPS.get(c);
      if (group != null) { // a group's commands likewise: only the one named after the group, if any
        Optional<Class<?>> one = named.isEmpty() || argv.length < 2 ? Optional.empty()
            : group.stream().filter(s -> s.getAnnotation(Command.class).name().equals(argv[1])).findFirst();
        CommandLine groupLine = cl.getSubcommands().get(c.getAnnotation(Command.class).name());
        for (Class<?> s : one.map(List::<Class<?>>of).orElse(group)) {
          groupLine.addSubcommand(s);
        }
      }
    }
    if (named.isEmpty()) {
      // Extra subcommands from jars on the class path (loam bench); added before the output
      // streams and handlers below, so that they get them.
      for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
        cl.addSubcommand(p.command());
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    // "@name" is text for loam (a mark value, a splice), never a file of arguments.
    cl.setExpandAtFiles(false);
    cl.setParameterExceptionHandler((ex, args) -> {
      String where = ex.getCommandLine().getCommandSpec().qualifiedName();
      err.println(where + ": " + oneLine(ex.getMessage()) + " (see '" + where + " --help')");
      err.flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      err.println("loam: " + describe(ex));
      err.flush();
      return ex instanceof DeniedException || ex instanceof AccessDeniedException ? DENIED : FAILED;
    });
    // Edit operations are parsed in order by DocEditCommand itself.
    for (String parent : List.of("doc", "repo")) {
      CommandLine edit = cl.getSubcommands().containsKey(parent) ? cl.getSubcommands().get(parent).getSubcommands().get("edit") : null;
      if (edit != null) {
        edit.setUnmatchedOptionsArePositionalParams(true);
      }
    }
    return cl;
  }

  private static String describe(Exception ex) {
    return switch (ex) {
      case CliException e -> oneLine(e.getMessage());
      case LoamException e -> oneLine(e.getMessage());
      default -> "internal error: " + oneLine(ex.toString());
    };
  }


  static String oneLine(String message) {
    return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"loam " + (v == null ? "(development build)" : v)};
    }
  }
}
