/**
 * Loam's repo layer: many documents kept in storage and synced with peers, as automerge-repo.
 *
 * <p>Exported packages and what each may use (no cycles):
 * <pre>
 * dev.loam.repo.id        ids and URLs                       → dev.loam
 * dev.loam.repo.protocol  automerge-repo's messages          → id
 * dev.loam.repo.spi       plug-in interfaces                 → protocol, id
 * dev.loam.repo.storage   storage adapters                   → spi
 * dev.loam.repo.net       the WebSocket client adapter       → spi, protocol, id, internal
 * dev.loam.repo.internal  machinery (below)                  → spi, id
 * dev.loam.repo           Repo, DocHandle                    → spi, protocol, id, internal
 * dev.loam.repo.presence  presence over ephemeral messages   → dev.loam.repo, id, internal
 * </pre>
 * {@code dev.loam.repo.internal} (the chunk layout in storage, the thread factory) is machinery,
 * exported only to the Loam modules built on it.
 */
// "module": the qualified export names dev.loam.server and dev.loam.testkit, built after this module
@SuppressWarnings("module")
module dev.loam.repo {
  requires transitive dev.loam.core;
  // transitive: the public API carries JSpecify annotations (@Nullable on equals parameters)
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires tools.jackson.core;
  requires tools.jackson.databind;
  requires tools.jackson.dataformat.cbor;
  requires java.net.http;

  exports dev.loam.repo;
  exports dev.loam.repo.id;
  exports dev.loam.repo.protocol;
  exports dev.loam.repo.spi;
  exports dev.loam.repo.storage;
  exports dev.loam.repo.net;
  exports dev.loam.repo.presence;

  // machinery, not API: the server and the testkit start threads through VirtualThreads, and the
  // storage contract checks adapters against the real chunk layout (StorageSubsystem)
  exports dev.loam.repo.internal to dev.loam.server, dev.loam.testkit, dev.loam.secure;
}
