/** Loam's core: the Automerge-compatible document CRDT, its binary format and sync protocol. */
// "module": the qualified exports name dev.loam.cli and dev.loam.secure, which the build compiles after this module
@SuppressWarnings("module")
module dev.loam.core {
  // transitive: the public API carries JSpecify annotations (@Nullable on equals parameters)
  requires static transitive org.jspecify;

  exports dev.loam;
  exports dev.loam.sync;
  exports dev.loam.undo;
  // the CLI prints JSON exactly as documents do (not API: qualified to Loam's own command line)
  exports dev.loam.internal.json to dev.loam.cli;
  // `loam doc examine` shows chunks, columns and rows as the codec decodes them (debugging only);
  // a secure document re-applies its own lost changes op by op (not API either)
  exports dev.loam.internal.codec to dev.loam.cli, dev.loam.secure;
  exports dev.loam.internal.change to dev.loam.cli, dev.loam.secure;
}
