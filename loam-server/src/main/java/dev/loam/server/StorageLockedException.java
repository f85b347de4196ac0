package dev.loam.server;

import dev.loam.repo.spi.StorageException;

/** Another process already serves this database or data folder; the message says which and how to tell. */
public final class StorageLockedException extends StorageException {
  /** A refusal; {@code message} names the holder and how to tell. */
  public StorageLockedException(String message) {
    super(message);
  }
}
