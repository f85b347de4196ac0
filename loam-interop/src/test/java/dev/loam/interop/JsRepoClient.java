package dev.loam.interop;

import tools.jackson.databind.JsonNode;

/**
 * One {@code node js/repo-ws-client.mjs} process: a stock JS automerge-repo {@code Repo} (in
 * memory) with the stock {@code WebSocketClientAdapter}, connected to the server at a URL, driven
 * by JSON lines. Skips locally (fails in CI) without node_modules. Calls are serialised, so it may
 * be called from several threads.
 */
final class JsRepoClient implements AutoCloseable {
  private final JsonLinesNode node;

  private JsRepoClient(JsonLinesNode node) {
    this.node = node;
    if (!node.greeting().path("ready").asBoolean(false)) {
      throw new IllegalStateException("the JS client did not connect: " + node.greeting() + "; stderr:\n" + node.stderr());
    }
  }

  static JsRepoClient start(String wsUrl) {
    return new JsRepoClient(JsonLinesNode.start("the JS client", "js/repo-ws-client.mjs",
        "@automerge/automerge-repo-network-websocket", wsUrl));
  }

  JsonNode call(String cmd, String... keyValues) {
    return node.call(cmd, keyValues);
  }

  @Override
  public void close() {
    node.close();
  }
}
