package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;

import java.nio.file.Path;

class SqliteStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {
    return SqliteStorageAdapter.open(folder.resolve("loam.db"));
  }

  @Override
  protected StorageAdapter reopen(Path folder) {
    return newAdapter(folder);
  }
}
