/**
 * Test support others can reuse. To check a storage adapter, subclass
 * {@link dev.loam.testkit.StorageAdapterContract} and implement {@code newAdapter}; to prove that
 * code above an adapter survives failures, wrap the adapter in a
 * {@link dev.loam.testkit.HostileStorageAdapter}. {@link dev.loam.testkit.FakeNetwork} delivers
 * automerge-repo messages between in-process peers in a seeded, repeatable order.
 */
@NullMarked
package dev.loam.testkit;

import org.jspecify.annotations.NullMarked;
