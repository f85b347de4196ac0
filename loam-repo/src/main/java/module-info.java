/** Loam's repo layer: document ids and URLs, storage adapters and the automerge-repo wire protocol. */
module dev.loam.repo {
  requires transitive dev.loam.core;
  requires static org.jspecify;
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
  exports dev.loam.repo.internal;
}
