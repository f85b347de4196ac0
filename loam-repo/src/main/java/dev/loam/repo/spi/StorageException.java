package dev.loam.repo.spi;

import dev.loam.LoamException;

/** A storage adapter could not read or write: the disk, the database or the folder failed. */
public class StorageException extends LoamException {
  /** A storage failure described by {@code message}. */
  public StorageException(String message) {
    super(message);
  }

  /** A storage failure described by {@code message}, caused by {@code cause}. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
