/**
 * Machinery of the repo layer, not API: {@link dev.loam.repo.internal.StorageSubsystem} (documents
 * as automerge-repo's chunks in a storage adapter) and {@link dev.loam.repo.internal.VirtualThreads}
 * (the one place threads are created). Exported only to Loam's own modules that need it; anything
 * here may change in any release.
 */
@NullMarked
package dev.loam.repo.internal;

import org.jspecify.annotations.NullMarked;
