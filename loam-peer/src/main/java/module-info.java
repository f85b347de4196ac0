/**
 * Peers without a server: a {@link dev.loam.repo.Repo} that accepts automerge-repo WebSocket
 * connections as well as making them, and finds its peers on the local network.
 *
 * <p>Dependencies point one way: this module builds on {@code dev.loam.server} (whose
 * {@code WebSocketServerAdapter} it reuses, without the rest of {@code LoamServer}) and on
 * {@code dev.loam.repo}; neither knows it. JmDNS stays behind {@code MdnsDiscovery}.
 */
// "requires-automatic": JmDNS ships an Automatic-Module-Name, not a module descriptor
@SuppressWarnings("requires-automatic")
module dev.loam.peer {
  requires transitive dev.loam.repo;
  requires transitive dev.loam.server;
  requires static org.jspecify;
  requires org.slf4j;
  requires javax.jmdns;

  exports dev.loam.peer;
}
