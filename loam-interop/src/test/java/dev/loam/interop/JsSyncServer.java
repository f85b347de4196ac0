package dev.loam.interop;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * One {@code node js/repo-ws-server.mjs} process: the official sync-server setup (a JS Repo with
 * {@code WebSocketServerAdapter}, NodeFS storage, {@code sharePolicy: async () => false}) on a
 * loopback port, driven by JSON lines. Skips locally (fails in CI) without node_modules.
 */
final class JsSyncServer implements AutoCloseable {
  private final JsonLinesNode node;
  private final int port;

  private JsSyncServer(JsonLinesNode node) {
    this.node = node;
    this.port = node.greeting().get("port").asInt();
  }

  static JsSyncServer start(Path dataDir) {
    return new JsSyncServer(JsonLinesNode.start("the JS sync server", "js/repo-ws-server.mjs",
        "@automerge/automerge-repo-network-websocket", dataDir.toString()));
  }

  String url() {
    return "ws://127.0.0.1:" + port;
  }

  JsonNode call(String cmd, String... keyValues) {
    return node.call(cmd, keyValues);
  }

  @Override
  public void close() {
    node.close();
  }
}
