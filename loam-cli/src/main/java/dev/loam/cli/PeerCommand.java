package dev.loam.cli;

import dev.loam.peer.Discovery;
import dev.loam.peer.LoamPeer;
import dev.loam.peer.MdnsDiscovery;
import dev.loam.repo.Repo;
import dev.loam.repo.RepoBuilder;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import dev.loam.server.StorageLockedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loam peer}: syncs a data folder directly with other peers, no server: listens for
 * automerge-repo WebSocket connections, announces itself on the LAN by multicast DNS (unless
 * {@code --no-discovery}), connects to the peers it finds and to {@code --connect} URLs, until
 * SIGINT or SIGTERM, then saves everything and releases the folder. Every stored document is
 * opened at start so peers are offered it.
 *
 * <p>Standard output, one line per event, in a stable format (fields separated by one space):
 * <pre>
 *   loam peer: ws://HOST:PORT peer PEER-ID storage STORAGE-ID documents N discovery on|off
 *   found PEER-ID ws://ADDRESS:PORT        (discovery announced a peer)
 *   lost PEER-ID                           (its announcement went away)
 *   connected PEER-ID incoming|outgoing    (a connection finished its handshake)
 *   disconnected PEER-ID incoming|outgoing (a connection ended)
 * </pre>
 * Logs go to stderr.
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {"Sync a data folder directly with peers on the network, with no server.",
        "Listens for automerge-repo WebSocket connections, announces itself by multicast DNS (DNS-SD _loam._tcp),",
        "connects to the peers it finds and to --connect URLs. Prints one line per peer found, lost, connected",
        "or disconnected: 'found PEER ws://ADDR:PORT', 'lost PEER', 'connected PEER incoming|outgoing',",
        "'disconnected PEER incoming|outgoing'. Stops on Ctrl-C or SIGTERM."})
final class PeerCommand implements Callable<Integer> {

  @Option(names = "--data", defaultValue = LocalRepo.DEFAULT_DATA,
      description = "Data folder (created if missing; default ${DEFAULT-VALUE}); not shared with a running loam serve.")
  Path data;

  @Option(names = "--port", defaultValue = "3031", description = "TCP port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0",
      description = "Address to listen on (default ${DEFAULT-VALUE}: every interface, so LAN peers reach it; 127.0.0.1: this machine only).")
  String host;

  @Option(names = "--no-discovery", description = "Neither announce this peer nor look for others by multicast DNS.")
  boolean noDiscovery;

  @Option(names = "--connect", paramLabel = "URL", arity = "1..*",
      description = "Also connect to these peers or servers (ws://host:port), reconnecting while running.")
  List<URI> connect = new ArrayList<>();

  @Option(names = "--quiet", description = "Log warnings and errors only.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ServeCommand.configureLogging(quiet);
    if (port < 0 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), "--port out of range: " + port);
    }
    LoamPeer.Builder builder;
    DataFolderLock lock;
    try {
      lock = DataFolderLock.acquire(data, "loam peer on port " + port);
    } catch (StorageLockedException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    LoamPeer peer;
    try {
      RepoBuilder repo = Repo.builder().storage(SqliteStorageAdapter.open(data.resolve(LocalRepo.DB_FILE)));
      builder = LoamPeer.builder(repo).host(host).port(port).events(e -> print(out, e));
      for (URI uri : connect) {
        try {
          builder.connect(uri);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--connect: " + e.getMessage());
        }
      }
      Discovery discovery = noDiscovery ? null : MdnsDiscovery.create();
      if (discovery != null) {
        builder.discovery(discovery);
      }
      synchronized (out) { // the first line comes before any event's
        peer = builder.build();
        int documents;
        try {
          documents = openStored(peer.repo());
        } catch (RuntimeException e) {
          peer.close();
          throw e;
        }
        out.println("loam peer: ws://" + host + ":" + peer.port() + " peer " + peer.repo().peerId()
            + " storage " + peer.repo().storageId().map(Object::toString).orElse("none")
            + " documents " + documents + " discovery " + (noDiscovery ? "off" : "on"));
        out.flush();
      }
    } catch (UncheckedIOException e) {
      lock.close();
      throw new CliException("could not start the peer: " + Main.oneLine(String.valueOf(e.getMessage())));
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        peer.close();
      } finally {
        lock.close();
        stopped.countDown();
      }
    }, "loam-peer-shutdown"));
    stopped.await();
    return 0;
  }

  /** Opens every document stored in the folder, so that the repo offers it to its peers; returns how many. */
  private static int openStored(Repo repo) {
    Set<DocumentId> ids = new HashSet<>();
    for (Chunk c : repo.storageAdapter().orElseThrow().loadRange(StorageKey.EMPTY)) {
      if (c.key().size() >= 2) {
        DocumentId.tryParse(c.key().get(0)).ifPresent(ids::add);
      }
    }
    ids.forEach(repo::find);
    return ids.size();
  }

  private static void print(PrintWriter out, LoamPeer.Event event) {
    String line = switch (event) {
      case LoamPeer.Event.Found f -> "found " + f.peerId() + " " + f.uri();
      case LoamPeer.Event.Lost l -> "lost " + l.peerId();
      case LoamPeer.Event.Connected c -> "connected " + c.peerId() + (c.incoming() ? " incoming" : " outgoing");
      case LoamPeer.Event.Disconnected d -> "disconnected " + d.peerId() + (d.incoming() ? " incoming" : " outgoing");
    };
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
