/**
 * Test support others can reuse. To check a storage adapter, subclass
 * {@link dev.loam.testkit.StorageAdapterContract} and implement {@code newAdapter}; to check a
 * network adapter, subclass {@link dev.loam.testkit.NetworkAdapterContract}. The repo's own fakes
 * (a seeded fake network, an in-process pair, a hostile storage wrapper) are in
 * {@code loam-repo}'s test jar, package {@code dev.loam.repo.testing}.
 *
 * <p>Every storage test of the contract, run against an adapter (here the in-memory one), is a
 * JUnit 5 class with one method:
 * {@snippet class=dev.loam.testkit.InMemoryStorageAdapterTest region=example}
 */
@NullMarked
package dev.loam.testkit;

import org.jspecify.annotations.NullMarked;
