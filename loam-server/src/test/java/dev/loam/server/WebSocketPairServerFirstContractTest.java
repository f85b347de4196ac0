package dev.loam.server;

import dev.loam.testkit.NetworkAdapterContract;

/** The network adapter contract over the WebSocket pair; the server adapter is the contract's first end. */
class WebSocketPairServerFirstContractTest extends NetworkAdapterContract {
  @Override
  protected Link link() throws Exception {
    return WebSocketAdapterPair.link(false);
  }
}
