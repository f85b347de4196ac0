package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;

import java.nio.file.Path;

class InMemoryStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {
    return new InMemoryStorageAdapter();
  }
}
