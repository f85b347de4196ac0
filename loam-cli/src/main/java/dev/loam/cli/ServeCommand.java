package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import dev.loam.server.LoamServer;
import dev.loam.server.PostgresStorageAdapter;
import dev.loam.server.ServerLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loam serve}: runs a sync server that stock automerge-repo clients connect to, until
 * SIGINT or SIGTERM, then shuts down gracefully (closes sockets, stores everything, releases the
 * data folder or database). Prints one startup line on stdout; logs go to stderr.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run a sync server for automerge-repo clients (JS Repo with WebSocketClientAdapter, or Loam).",
        "Serves WebSocket on every path, GET /health, GET /metrics and the Loam Notes web app at GET / (unless --no-app).",
        "Stops on Ctrl-C or SIGTERM."})
final class ServeCommand implements Callable<Integer> {
  enum StorageKind { sqlite, fs, postgres, memory }

  @Option(names = "--port", defaultValue = "3030", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 listens on every interface).")
  String host;

  @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN",
      description = {"Web pages of these origins (comma-separated scheme://host[:port], or * for any) may open a WebSocket.",
          "Other sites' pages are refused (403); clients outside a browser send no origin and are not affected."})
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--data", defaultValue = "./loam-data", description = "Data folder for sqlite and fs storage (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--storage", defaultValue = "sqlite",
      description = "sqlite (one file in the data folder), fs (automerge-repo node-fs layout), postgres (servers on one"
          + " postgres database form a cluster), or memory (nothing kept: for measurements) (default ${DEFAULT-VALUE}).")
  StorageKind storage;

  @Option(names = "--postgres-url", defaultValue = "${env:LOAM_POSTGRES_URL}",
      description = "JDBC URL for --storage postgres, e.g. jdbc:postgresql://localhost/loam?user=loam&password=… (default: $LOAM_POSTGRES_URL).")
  @Nullable String postgresUrl;

  @Option(names = "--max-message-bytes", defaultValue = "67108864",
      description = "Largest message a client may send, in bytes (default ${DEFAULT-VALUE} = 64 MiB).")
  int maxMessageBytes;

  @Option(names = "--max-document-bytes", defaultValue = "1073741824",
      description = "Largest document the server holds, in bytes of its changes (uncompressed, each as sent alone:"
          + " some 60-100 bytes per keystroke); changes past it are refused (default ${DEFAULT-VALUE} = 1 GiB).")
  long maxDocumentBytes;

  @Option(names = "--max-messages-per-second", defaultValue = "1000",
      description = "Per-connection message rate; faster clients are slowed down (default ${DEFAULT-VALUE}).")
  double messagesPerSecond;

  @Option(names = "--no-app", description = "Do not serve the Loam Notes web app at GET / (WebSocket, /health and /metrics only).")
  boolean noApp;
  @Option(names = "--sqlite-sync", defaultValue = "FULL",
      description = "FULL: a change is on disk (fsync) before any client hears of it; NORMAL: it survives the process"
          + " dying, perhaps not power loss, and costs no fsync per change (default ${DEFAULT-VALUE}).")
  SqliteStorageAdapter.Durability sqliteSync;

  @Option(names = "--quiet", description = "Log warnings and errors only.")
  boolean quiet;

  @Spec CommandSpec spec;

  /** A usage error naming {@code flag} unless {@code value} is positive (the limits' builder would name its field). */
  private void positive(String flag, Number given) {
    if (!(given.doubleValue() > 0)) {
      throw new ParameterException(spec.commandLine(), flag + " " + given + ": must be positive");
    }
  }

  @Override
  public Integer call() throws Exception {
    configureLogging(quiet);
    ServerLimits limits;
    positive("--max-message-bytes", maxMessageBytes);
    positive("--max-document-bytes", maxDocumentBytes);
    positive("--max-messages-per-second", messagesPerSecond);
    try {
      limits = ServerLimits.builder().maxMessageBytes(maxMessageBytes).maxDocumentBytes(maxDocumentBytes)
          .messagesPerSecond(messagesPerSecond).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LoamServer.Builder builder;
    try {
      builder = LoamServer.builder().port(port).host(host).limits(limits).allowedOrigins(allowedOrigins)
          .serveApp(!noApp);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--allowed-origins: " + e.getMessage());
    }
    String where = switch (storage) {
      case sqlite, fs -> {
        DataFolderLock lock = DataFolderLock.acquire(data, "loam serve on port " + port);
        builder.closeOnStop(lock);
        try {
          StorageAdapter adapter = storage == StorageKind.sqlite
              ? SqliteStorageAdapter.open(data.resolve("loam.db"), sqliteSync)
              : FileSystemStorageAdapter.open(data);
          builder.storage(adapter);
        } catch (RuntimeException e) {
          lock.close();
          throw e;
        }
        yield storage + " in " + data;
      }
      case postgres -> {
        if (postgresUrl == null || postgresUrl.isBlank()) {
          throw new ParameterException(spec.commandLine(), "--storage postgres needs --postgres-url or LOAM_POSTGRES_URL");
        }
        builder.storage(PostgresStorageAdapter.builder().url(postgresUrl).build()); // no lock: servers on one database form a cluster
        yield "postgres";
      }
      case memory -> {
        builder.storage(new dev.loam.repo.storage.InMemoryStorageAdapter());
        yield "in memory (lost when the server stops: for measurements)";
      }
    };
    LoamServer server = builder.build();
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw new CliException("could not start the server on port " + port + ": " + Main.oneLine(String.valueOf(e.getMessage())));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "loam-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    String shown = (server.host().contains(":") ? "[" + server.host() + "]" : server.host()) + ":" + server.port();
    String reach = anyAddress(server.host()) ? "every interface: reachable from other machines" : "bound to " + server.host();
    String app = noApp ? "" : "Loam Notes at http://"
        + (anyAddress(server.host()) || server.host().equals("127.0.0.1") ? "localhost:" + server.port() : shown) + "/; ";
    out.println("loam serve: ws://" + shown + " (" + reach + "; storage " + where + "; " + app + "health and metrics at http://"
        + shown + "/health and /metrics; Ctrl-C stops)");
    out.flush();
    server.awaitStop();
    return 0;
  }

  private static boolean anyAddress(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** slf4j-simple, unless the user configured it: info to stderr with times, Jetty and Hikari at warn. */
  static void configureLogging(boolean quiet) {
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", quiet ? "warn" : "info");
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
