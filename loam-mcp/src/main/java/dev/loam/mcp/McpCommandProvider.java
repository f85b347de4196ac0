package dev.loam.mcp;

import dev.loam.cli.CommandProvider;

/** Registers {@code loam mcp} with the CLI when loam-mcp's jar is on the class path (see {@code ./loam}). */
public final class McpCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new McpCommand();
  }
}
