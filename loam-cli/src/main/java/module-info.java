/** The {@code loam} command line: documents, files and sync from the shell. */
module dev.loam.cli {
  requires dev.loam.core;
  requires dev.loam.backup;
  requires dev.loam.search;
  requires dev.loam.secure;
  requires dev.loam.server;
  requires dev.loam.peer;
  requires info.picocli;
  requires java.logging;
  requires tools.jackson.databind;
  requires static org.jspecify;

  // picocli reads and writes the command classes' annotated fields reflectively
  opens dev.loam.cli to info.picocli;

  // extra subcommands (loam bench) come from jars on the class path
  uses dev.loam.cli.CommandProvider;
}
