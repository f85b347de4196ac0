package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;

import java.nio.file.Path;
import java.util.Optional;

class FileSystemStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {
    return FileSystemStorageAdapter.open(folder.resolve("data"));
  }

  @Override
  protected Optional<StorageAdapter> reopen(Path folder) {
    return Optional.of(newAdapter(folder));
  }

  @Override
  protected boolean keysMayNest() {
    return false;
  }
}
