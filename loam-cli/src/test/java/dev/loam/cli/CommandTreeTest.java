package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Main builds only the subcommand a command line names; help and errors stay those of the whole tree. */
class CommandTreeTest {
  private static final List<String> ALL = List.of("doc", "demo", "serve", "repo", "sync", "id", "search", "backup", "peer");

  private static List<String> subcommands(String... args) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return List.copyOf(Main.commandLine(InputStream.nullInputStream(), OutputStream.nullOutputStream(), sink, sink, false, args)
        .getSubcommands().keySet());
  }

  @Test
  void aNamedCommandGetsOnlyItsSubtree() {
    assertEquals(List.of("doc"), subcommands("doc", "json", "x.automerge"));
    assertEquals(List.of("repo"), subcommands("repo", "edit", "automerge:x", "--put", "/a", "1"));
  }

  @Test
  void helpVersionAndUnknownNamesSeeEveryCommand() {
    assertEquals(ALL, subcommands());
    assertEquals(ALL, subcommands("--help"));
    assertEquals(ALL, subcommands("--version"));
    assertEquals(ALL, subcommands("dco"));
    String help = Cli.run("--help").ok();
    for (String name : ALL) {
      assertTrue(help.contains("  " + name + " "), name + " in loam --help: " + help);
    }
    assertTrue(Cli.run("dco").failed().startsWith("loam: Unmatched argument at index 0: 'dco'"));
  }

  @Test
  void editTakesOptionLikeOperationsUnderEitherParent() {
    assertTrue(Main.commandLine(InputStream.nullInputStream(), OutputStream.nullOutputStream(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), false, "doc").getSubcommands().get("doc").getSubcommands().get("edit")
        .isUnmatchedOptionsArePositionalParams());
  }
}
