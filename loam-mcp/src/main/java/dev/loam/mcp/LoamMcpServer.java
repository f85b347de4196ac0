package dev.loam.mcp;

import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server of {@code loam mcp}: the SDK's {@link McpSyncServer} on a transport, with the six
 * tools of {@link LoamTools} (each with a JSON schema of its arguments; results are text content
 * holding JSON, failures {@code isError} results) and a resource {@code loam://URL} per document
 * (its JSON; subscribers hear when it changes, by anyone). Thread-safe; close stops it.
 */
final class LoamMcpServer implements AutoCloseable {
  /** A resource's URI is this prefix and the document's URL. */
  static final String RESOURCE_PREFIX = "loam://";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final McpSyncServer server;
  private final Resources specs;
  private final PrintWriter log;
  private final Set<String> resources; // the URIs served

  private LoamMcpServer(McpSyncServer server, Resources specs, PrintWriter log, Set<String> resources) {
    this.server = server;
    this.specs = specs;
    this.log = log;
    this.resources = resources;
  }

  /**
   * Serves {@code tools} on {@code transport} (which starts reading at once) and follows {@code repo}
   * for resource updates; {@code log} (stderr: stdout is the protocol's) hears internal errors.
   */
  static LoamMcpServer start(McpServerTransportProvider transport, McpJsonMapper mapper, LoamTools tools, Repo repo,
      String version, PrintWriter log) {
    List<SyncToolSpecification> specs = new ArrayList<>();
    Holder holder = new Holder(log);
    for (ToolDef d : ToolDef.values()) {
      Tool tool = Tool.builder().name(d.toolName).title(d.title).description(d.description)
          .inputSchema(mapper, d.schema)
          .annotations(new ToolAnnotations(d.title, d.readOnly, false, d.readOnly, false, null))
          .build();
      Set<String> keys = keys(d.schema);
      specs.add(SyncToolSpecification.builder().tool(tool)
          .callHandler((exchange, request) -> holder.call(d.toolName, request.arguments(), keys, d.body.apply(tools)))
          .build());
    }
    // the documents there now are resources from the start; later ones join as they appear
    Set<String> initial = ConcurrentHashMap.newKeySet();
    List<SyncResourceSpecification> resources = new ArrayList<>();
    Resources r = new Resources(tools);
    for (LoamTools.Listed d : tools.documents()) {
      if (initial.add(RESOURCE_PREFIX + d.url())) {
        resources.add(r.spec(d.url(), d.title().orElse(d.url())));
      }
    }
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo("loam", version)
        .instructions("The documents of a Loam repo folder (local-first, Automerge-compatible). Your changes are "
            + "recorded as an assistant's: document_history marks them byAssistant, and revert_changes undoes any changes "
            + "while keeping everyone else's later edits. Paths are JSON Pointers; text indexes count UTF-16 code units.")
        .capabilities(ServerCapabilities.builder().tools(false).resources(true, true).build())
        .jsonMapper(mapper)
        .tools(specs)
        .resources(resources)
        .build();
    LoamMcpServer s = new LoamMcpServer(server, r, log, initial);
    repo.addListener(new DocHandle.Listener() {
      @Override
      public void changed(DocChange change) {
        s.documentChanged(change.handle().url().toString());
      }
    });
    return s;
  }

  /** Makes the resource of a document (its JSON, read when asked). */
  private record Resources(LoamTools tools) {
    SyncResourceSpecification spec(String url, String title) {
      String uri = RESOURCE_PREFIX + url;
      Resource r = Resource.builder().uri(uri).name(url).title(title).mimeType("application/json")
          .description("The document " + url + " as JSON").build();
      return new SyncResourceSpecification(r, (exchange, request) -> {
        String json;
        try {
          json = tools.json(url);
        } catch (ToolException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ReadResourceResult(List.of(new TextResourceContents(uri, "application/json", json)));
      });
    }
  }

  /** A document changed (here or through a peer): new documents join the resources, subscribers hear of it. */
  private void documentChanged(String url) {
    try {
      if (resources.add(RESOURCE_PREFIX + url)) {
        server.addResource(specs.spec(url, url)); // a document new to this process (from the server)
      }
      server.notifyResourcesUpdated(new ResourcesUpdatedNotification(RESOURCE_PREFIX + url, null));
    } catch (RuntimeException e) {
      log.println("loam mcp: could not announce a change of " + url + ": " + e);
    }
  }

  /** The argument names a tool's schema declares. */
  private static Set<String> keys(String schema) {
    Set<String> keys = new TreeSet<>();
    JsonNode properties = JSON.readTree(schema).path("properties");
    properties.propertyNames().forEach(keys::add);
    return keys;
  }

  @Override
  public void close() {
    server.closeGracefully();
  }

  /** Runs tool calls and turns their failures into error results. */
  private record Holder(PrintWriter log) {
    CallToolResult call(String name, @Nullable Map<String, @Nullable Object> arguments, Set<String> keys,
        Function<Args, String> body) {
      try {
        if (arguments != null && JSON.writeValueAsString(arguments).length() > Limits.MAX_ARGUMENT_CHARS) {
          throw new ToolException(name + ": the arguments are longer than " + Limits.MAX_ARGUMENT_CHARS + " characters of JSON");
        }
        String out = body.apply(Args.of(name, arguments, keys));
        return CallToolResult.builder().addTextContent(out).isError(false).build();
      } catch (ToolException e) {
        return error(e.getMessage());
      } catch (RuntimeException e) {
        log.println("loam mcp: " + name + " failed: " + e);
        return error(name + " failed: internal error (" + e.getClass().getSimpleName() + ")");
      }
    }

    private static CallToolResult error(String message) {
      return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
  }
}
