/**
 * The automerge-repo network protocol: {@link dev.loam.repo.protocol.RepoMessage}, a sealed set of
 * records, one per message type, read from and written to the CBOR frames JS peers send with
 * {@link dev.loam.repo.protocol.RepoMessage#decode} and {@link dev.loam.repo.protocol.RepoMessage#encode};
 * {@link dev.loam.repo.protocol.PeerMetadata}, what a peer says about itself. A network adapter over
 * a byte transport needs nothing else. Depends only on {@code dev.loam} and {@code dev.loam.repo.id}.
 *
 * <p>A message to its frame and back:
 * {@snippet class=dev.loam.repo.protocol.ProtocolExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.protocol;

import org.jspecify.annotations.NullMarked;
