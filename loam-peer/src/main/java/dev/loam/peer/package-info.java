/**
 * Repos that sync with each other directly, with no server. Start with
 * {@link dev.loam.peer.LoamPeer#builder(dev.loam.repo.RepoBuilder)}: it builds the repo with a
 * {@link dev.loam.peer.PeerListener} (accepts connections), a {@link dev.loam.peer.PeerDialer}
 * (makes them) and, opt-in, a {@link dev.loam.peer.Discovery} ({@link dev.loam.peer.MdnsDiscovery}
 * on a LAN, {@link dev.loam.peer.InMemoryDiscovery} in tests). The listener alone is a
 * {@link dev.loam.repo.spi.NetworkAdapter} any {@code RepoBuilder} takes.
 *
 * <p>Two repos sync directly, one listening and one dialling it:
 * {@snippet class=dev.loam.peer.PeerExampleTest region=example}
 */
@NullMarked
package dev.loam.peer;

import org.jspecify.annotations.NullMarked;
