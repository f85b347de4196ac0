package dev.loam.testkit;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;

import java.nio.file.Path;

class FileSystemStorageAdapterTest extends StorageAdapterContract {
  @Override
  protected StorageAdapter newAdapter(Path folder) {
    return FileSystemStorageAdapter.open(folder.resolve("data"));
  }

  @Override
  protected StorageAdapter reopen(Path folder) {
    return newAdapter(folder);
  }

  @Override
  protected boolean keysMayNest() {
    return false;
  }
}
