package dev.loam.testkit;

import dev.loam.repo.testing.PairedNetworkAdapter;

/** The in-process pair keeps the network adapter contract. */
class PairedNetworkAdapterTest extends NetworkAdapterContract {
  @Override
  protected Link link() {
    PairedNetworkAdapter.Pair pair = PairedNetworkAdapter.pair();
    return new Link() {
      @Override public PairedNetworkAdapter first() { return pair.left(); }

      @Override public PairedNetworkAdapter second() { return pair.right(); }

      @Override public void close() {
        pair.left().close();
        pair.right().close();
      }
    };
  }
}
