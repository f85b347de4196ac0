/** Loam's core: the Automerge-compatible document CRDT, its binary format and sync protocol. */
module dev.loam.core {
  requires static org.jspecify;

  exports dev.loam;
  exports dev.loam.sync;
  // the CLI prints JSON exactly as documents do (not API: qualified to Loam's own command line)
  exports dev.loam.internal.json to dev.loam.cli;
}
