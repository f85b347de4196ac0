/**
 * The seams where other code plugs into a repo. Depends only on {@code dev.loam},
 * {@code dev.loam.repo.id} and {@code dev.loam.repo.protocol}.
 * <ul>
 *   <li><b>Storage</b>: implement {@link dev.loam.repo.spi.StorageAdapter} and check it with the
 *       contract suite in {@code loam-testkit} ({@code dev.loam.testkit.StorageAdapterContract}).
 *       An adapter that keeps files creates them with {@link dev.loam.repo.spi.OwnerOnlyFiles};
 *       one that keeps keys in a sorted index writes them with
 *       {@link dev.loam.repo.spi.OrderedKeyEncoding}.
 *   <li><b>Transports</b>: implement {@link dev.loam.repo.spi.NetworkAdapter}; a transport of bytes
 *       frames messages with {@code RepoMessage.encode()} and {@code RepoMessage.decode(bytes)},
 *       and is checked by {@code dev.loam.testkit.NetworkAdapterContract}.
 *   <li><b>Sealing documents</b>: a {@link dev.loam.repo.spi.DocumentHook} given to
 *       {@code RepoBuilder.documentHook} transforms each document's chunks on their way to and
 *       from storage and its sync messages on their way to and from peers (encryption, signatures).
 * </ul>
 * Two more seams are methods of {@link dev.loam.repo.Repo}: {@code Repo.addListener} hears every
 * change of every document (heads before and after, patches) for an index or a search, and
 * {@code Repo.backup} hands out a consistent copy of the storage.
 *
 * <p>A storage adapter of one's own, given to {@code Repo.builder().storage(new MapStorage())}:
 * {@snippet class=dev.loam.repo.spi.SpiExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.spi;

import org.jspecify.annotations.NullMarked;
