/**
 * The seams where applications plug in their own storage (and, later, network transports).
 * Implement {@link dev.loam.repo.spi.StorageAdapter} and check it with the contract suite in
 * {@code loam-testkit} ({@code dev.loam.testkit.StorageAdapterContract}). An adapter that keeps
 * files creates them with {@link dev.loam.repo.spi.OwnerOnlyFiles}; one that keeps keys in a
 * sorted index writes them with {@link dev.loam.repo.spi.OrderedKeyEncoding}.
 */
@NullMarked
package dev.loam.repo.spi;

import org.jspecify.annotations.NullMarked;
