package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;

import java.nio.file.Path;

// The example of package dev.loam.testkit's Javadoc: the whole contract suite for one adapter.
// @start region="example"
class InMemoryStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {  // a fresh adapter; folder is for files
    return new InMemoryStorageAdapter();
  }
}
// @end
