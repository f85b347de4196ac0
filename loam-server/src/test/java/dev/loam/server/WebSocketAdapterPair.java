package dev.loam.server;

import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.testkit.NetworkAdapterContract;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The network adapter contract, kept by the WebSocket pair: a {@link WebSocketClientAdapter}
 * connected over loopback to a {@link WebSocketServerAdapter} in a bare Jetty server. The suite
 * runs twice, once with each side as the contract's "first" adapter, so each side's connect order,
 * metadata, sending and closing are exercised ({@link WebSocketPairClientFirstContractTest},
 * {@link WebSocketPairServerFirstContractTest}).
 */
final class WebSocketAdapterPair {
  private WebSocketAdapterPair() {}

  /** A Jetty server on a loopback port hosting a server adapter, and a client pointed at it. */
  static final class WebSocketPair implements AutoCloseable {
    final WebSocketServerAdapter server = WebSocketServerAdapter.builder().build();
    final WebSocketClientAdapter client;
    private final Server jetty = new Server();

    WebSocketPair() throws Exception {
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      jetty.setHandler(server.handler(null));
      jetty.start();
      client = WebSocketClientAdapter.builder(URI.create("ws://127.0.0.1:" + connector.getLocalPort()))
          // The server refuses joins until its own connect; the client then retries after this.
          .initialBackoff(Duration.ofMillis(20))
          .maxBackoff(Duration.ofMillis(200))
          .build();
    }

    @Override
    public void close() throws Exception {
      client.close();
      server.close();
      jetty.stop();
    }
  }

  static NetworkAdapterContract.Link link(boolean clientFirst) throws Exception {
    WebSocketPair pair = new WebSocketPair();
    return new NetworkAdapterContract.Link() {
      @Override public NetworkAdapter first() { return clientFirst ? pair.client : pair.server; }

      @Override public NetworkAdapter second() { return clientFirst ? pair.server : pair.client; }

      @Override public void close() throws Exception { pair.close(); }
    };
  }
}
