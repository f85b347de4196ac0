package dev.loam.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.cli.Main;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code loam mcp} in its own JVM (the classes and jars this test runs on, as {@code ./loam}
 * runs them), driven by the MCP SDK's own client over its stdin/stdout. The child runs in {@code
 * cwd}, so a test can check that it wrote nothing outside its repo folder. Its stderr is kept for
 * failure messages; resource updates it announces land in {@link #updates}. Used by one test thread.
 */
final class McpProcess implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final McpSyncClient client;
  final BlockingQueue<ResourceContents> updates = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<String> stderr;

  private McpProcess(McpSyncClient client, ConcurrentLinkedQueue<String> stderr) {
    this.client = client;
    this.stderr = stderr;
  }

  /** Starts {@code loam mcp ARGS...} in {@code cwd} and initializes the session. */
  static McpProcess start(Path cwd, String... args) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    List<String> command = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath,
        Main.class.getName(), "mcp"));
    command.addAll(List.of(args));
    McpJsonMapper mapper = new JacksonMcpJsonMapper(JSON);
    StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(javaBin).args(command).build(), mapper) {
      @Override
      protected ProcessBuilder getProcessBuilder() {
        return new ProcessBuilder().directory(cwd.toFile());
      }
    };
    ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();
    transport.setStdErrorHandler(stderr::add);
    McpProcess[] self = new McpProcess[1];
    McpSyncClient client = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .resourcesUpdateConsumer(contents -> self[0].updates.addAll(contents))
        .build();
    McpProcess p = new McpProcess(client, stderr);
    self[0] = p;
    client.initialize();
    return p;
  }

  /** Calls {@code tool}; returns its result, whatever it is. */
  CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(new CallToolRequest(tool, arguments));
  }

  /** Calls {@code tool}, which must succeed; returns its one text content parsed as JSON. */
  JsonNode ok(String tool, Map<String, Object> arguments) {
    CallToolResult r = call(tool, arguments);
    assertFalse(Boolean.TRUE.equals(r.isError()), () -> tool + " failed: " + text(r) + "; stderr: " + stderr());
    return JSON.readTree(text(r));
  }

  /** Calls {@code tool}, which must fail with an error result; returns its message. */
  String error(String tool, Map<String, Object> arguments) {
    CallToolResult r = call(tool, arguments);
    assertTrue(Boolean.TRUE.equals(r.isError()), () -> tool + " should have failed but returned " + text(r));
    return text(r);
  }

  static String text(CallToolResult r) {
    return ((TextContent) r.content().getFirst()).text();
  }

  String stderr() {
    return String.join("\n", stderr);
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
