/** Loam's core: the Automerge-compatible document CRDT, its binary format and sync protocol. */
module dev.loam.core {
  requires static org.jspecify;

  exports dev.loam;
  exports dev.loam.sync;
}
