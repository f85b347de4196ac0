/**
 * {@code loam mcp}: a repo folder served to AI assistants over the Model Context Protocol (stdio),
 * with the official MCP Java SDK. Start at {@link dev.loam.mcp.McpCommand} (the command line),
 * {@link dev.loam.mcp.LoamTools} (what each tool does) and {@link dev.loam.mcp.LoamMcpServer} (the
 * tools' schemas and the {@code loam://} resources). The assistant writes as its own actor,
 * recorded by {@link dev.loam.mcp.AssistantActors}, so its changes stay distinguishable and
 * revertible.
 */
@NullMarked
package dev.loam.mcp;

import org.jspecify.annotations.NullMarked;
