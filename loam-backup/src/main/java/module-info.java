/**
 * Loam's backups: one checksummed archive file per backup of a repo's storage (plain documents as
 * their Automerge saves, secure documents as their signed items), incremental chains, optional
 * passphrase encryption, verification without restoring, and restore into any storage adapter.
 *
 * <p>Exported packages:
 * <pre>
 * dev.loam.backup  Backup (create, verify, list, read, restore), its options, reports and exceptions
 * </pre>
 */
module dev.loam.backup {
  requires transitive dev.loam.repo;
  requires transitive dev.loam.secure;
  // transitive: the public API carries JSpecify annotations
  requires static transitive org.jspecify;

  exports dev.loam.backup;
}
