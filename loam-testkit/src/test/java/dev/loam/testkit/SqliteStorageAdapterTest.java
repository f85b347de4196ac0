package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;

import java.nio.file.Path;
import java.util.Optional;

class SqliteStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {
    return SqliteStorageAdapter.open(folder.resolve("loam.db"));
  }

  @Override
  protected Optional<StorageAdapter> reopen(Path folder) {
    return Optional.of(newAdapter(folder));
  }
}
