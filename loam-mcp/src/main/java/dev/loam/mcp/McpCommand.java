package dev.loam.mcp;

import dev.loam.ActorId;
import dev.loam.cli.CliException;
import dev.loam.cli.IdOption;
import dev.loam.cli.LocalRepo;
import dev.loam.cli.SearchCommand;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.search.Progress;
import dev.loam.search.SearchIndex;
import dev.loam.secure.BoundActor;
import dev.loam.secure.Identity;
import dev.loam.server.StorageLockedException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code loam mcp [--data DIR] [--id FILE] [--server ws://…]}: serves a repo folder to an AI
 * assistant over the Model Context Protocol on stdin/stdout until the client closes stdin. The
 * folder is this process's alone (its {@link dev.loam.server.DataFolderLock}), as for every
 * {@code loam repo} command, so it cannot share a folder that {@code loam serve} holds; to work on
 * a running server's documents, it runs on a folder of its own that syncs with that server
 * ({@code --server}), as {@code loam sync} does. Runs on the command's thread; the SDK's transport
 * reads and writes on its own threads.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = {"Serve a repo folder to an AI assistant over the Model Context Protocol (MCP) on stdin/stdout.",
        "Tools: list_documents, read_document, search_documents, edit_document, document_history, revert_changes;",
        "resources: loam://URL for each document. The assistant writes as its own actor, recorded in the folder,",
        "so document_history marks its changes (byAssistant) and revert_changes can undo them.",
        "Runs until the client closes stdin; stdout carries only the protocol, messages go to stderr.",
        "A folder held by 'loam serve' cannot be shared: give loam mcp a folder of its own with --server ws://HOST:PORT",
        "to work on that server's documents (documents the folder lacks are fetched from the server)."})
public final class McpCommand implements Callable<Integer> {
  private static final Pattern SERVE_PORT = Pattern.compile("loam serve on port (\\d+)");

  @Spec CommandSpec spec;

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA, description = "Repo folder (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--server", paramLabel = "URL",
      description = "Also sync the folder with this sync server (ws:// or wss://); the folder is created if missing.")
  @Nullable URI server;

  /** {@code --id FILE} (or {@code LOAM_ID}): the identity whose secure documents the assistant may use, as that identity may. */
  @Mixin IdOption id;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Identity> me = id.path().isPresent() ? Optional.of(id.load("loam mcp")) : Optional.empty();
    Optional<WebSocketClientAdapter> network = Optional.ofNullable(server).map(McpCommand::client);
    LocalRepo local = open(network.map(n -> (NetworkAdapter) n));
    try {
      if (network.isPresent()) {
        awaitServer(local, network.get());
      }
      // one actor per process; with an identity, one bound to it, as its secure documents require
      ActorId actor = me.isPresent() ? BoundActor.fresh(me.get().signingKey().publicKey(), new SecureRandom()) : ActorId.random();
      AssistantActors actors = AssistantActors.open(local.repo().storageAdapter().orElseThrow(), actor, Clock.systemUTC());
      try (SearchIndex index = SearchIndex.open(data.resolve(SearchCommand.INDEX_FOLDER), local.repo())) {
        SearchCommand.catchUp(local, data, index, Progress.NONE);
        LoamTools tools = new LoamTools(local, data, index, actors, me, network.isPresent(),
            Duration.ofSeconds(network.isPresent() ? 30 : 10));
        EndOfInput in = new EndOfInput(System.in, Limits.MAX_REQUEST_BYTES);
        McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        // the transport's own limit (in characters) is never reached: EndOfInput's (in bytes) comes first
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, in, System.out, Limits.MAX_REQUEST_BYTES + 1);
        try (LoamMcpServer s = LoamMcpServer.start(transport, mapper, tools, local.repo(), version(), err)) {
          err.println("loam mcp: serving " + data.toAbsolutePath().normalize() + (server == null ? "" : " (synced with " + server + ")")
              + " on stdin/stdout; the assistant writes as actor " + actor.hex());
          in.await();
        }
        if (in.endedOnALongLine()) {
          throw new CliException("a request was longer than " + Limits.MAX_REQUEST_BYTES + " bytes (the limit); the session ends");
        }
      }
    } finally {
      local.close(); // saves every change, releases the folder
    }
    return 0;
  }

  private LocalRepo open(Optional<NetworkAdapter> network) {
    try {
      return LocalRepo.open(data, "loam mcp", server == null ? LocalRepo.Access.EXISTING : LocalRepo.Access.CREATE, network);
    } catch (CliException e) {
      if (e.getCause() instanceof StorageLockedException) {
        Matcher m = SERVE_PORT.matcher(e.getMessage());
        String url = m.find() ? "ws://localhost:" + m.group(1) : "ws://HOST:PORT";
        throw new CliException(e.getMessage() + ". loam mcp needs a folder of its own; to work on the documents of a running "
            + "loam serve, give it another folder that syncs with that server: loam mcp --data DIR --server " + url, e);
      }
      throw e;
    }
  }

  private static WebSocketClientAdapter client(URI server) {
    try {
      return WebSocketClientAdapter.of(server.toString());
    } catch (IllegalArgumentException e) {
      throw new CliException("--server " + server + " is not a WebSocket URL: it starts with ws:// or wss://");
    }
  }

  /** Waits (at most 30 s) until the sync server has answered and the repo knows it as a peer. */
  private void awaitServer(LocalRepo local, WebSocketClientAdapter network) throws InterruptedException {
    try {
      PeerId peer = network.firstHandshake().get(30, TimeUnit.SECONDS);
      local.repo().whenPeerConnected(peer::equals).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CliException("could not reach the sync server " + server + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new CliException("the sync server " + server + " did not answer within 30 s");
    }
  }

  private static String version() {
    String v = McpCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
