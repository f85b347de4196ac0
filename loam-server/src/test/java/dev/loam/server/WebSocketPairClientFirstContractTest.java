package dev.loam.server;

import dev.loam.testkit.NetworkAdapterContract;

/** The network adapter contract over the WebSocket pair; the client adapter is the contract's first end. */
class WebSocketPairClientFirstContractTest extends NetworkAdapterContract {
  @Override
  protected Link link() throws Exception {
    return WebSocketAdapterPair.link(true);
  }
}
