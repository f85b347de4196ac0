package dev.loam.backup;

import dev.loam.LoamException;

/**
 * Why an archive or a chain of archives cannot be used: the root of the backup module's own
 * exceptions. Storage failures of a restore target are the adapter's
 * {@link dev.loam.repo.spi.StorageException}; I/O failures of archive files are
 * {@link java.io.UncheckedIOException}.
 */
public sealed class BackupException extends LoamException
    permits BackupCorruptException, WrongPassphraseException, UnsupportedFormatException {
  BackupException(String message) {
    super(message);
  }

  BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
