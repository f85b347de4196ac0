package dev.loam.cli;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageSnapshot;
import dev.loam.repo.storage.FileSystemSnapshot;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.SqliteSnapshot;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import dev.loam.server.PostgresSnapshot;
import dev.loam.server.PostgresStorageAdapter;
import dev.loam.server.StorageLockedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The storage options of {@code loam backup create} and {@code loam backup restore}, as
 * {@code loam serve} takes them ({@code --data}, {@code --storage}, {@code --postgres-url}): opens
 * that storage as a read-only snapshot beside a running server (create), or as a restore target
 * no server holds. Used by one command on one thread.
 */
final class BackupStorage {
  @Option(names = "--data", paramLabel = "DIR", defaultValue = LocalRepo.DEFAULT_DATA,
      description = "Data folder for sqlite and fs storage, as for loam serve (default ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--storage", paramLabel = "KIND", defaultValue = "sqlite",
      description = "sqlite (loam.db in the data folder), fs (automerge-repo node-fs layout) or postgres, as for loam serve (default ${DEFAULT-VALUE}).")
  ServeCommand.StorageKind storage;

  @Option(names = "--postgres-url", paramLabel = "URL", defaultValue = "${env:LOAM_POSTGRES_URL}",
      description = "JDBC URL for --storage postgres, e.g. jdbc:postgresql://localhost/loam?user=loam&password=… (default: $LOAM_POSTGRES_URL).")
  @Nullable String postgresUrl;

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  /** The storage in words: "sqlite storage in ./loam-data". */
  String describe() {
    return switch (storage) {
      case sqlite, fs -> storage + " storage in " + data;
      case postgres -> "PostgreSQL storage";
      case memory -> throw noMemory();
    };
  }

  /** Whether the user gave {@code --data}, {@code --storage} or {@code --postgres-url} on the command line. */
  boolean given() {
    var parsed = spec.commandLine().getParseResult();
    return parsed.hasMatchedOption("--data") || parsed.hasMatchedOption("--storage") || parsed.hasMatchedOption("--postgres-url");
  }

  /**
   * The storage as it is now, read-only, beside a {@code loam serve} that keeps writing it (no
   * lock is taken): SQLite in one read transaction, PostgreSQL in one repeatable-read snapshot,
   * a filesystem folder document by document. Blocks while it opens.
   *
   * @throws CliException if there is no such storage
   */
  StorageSnapshot snapshot() {
    return switch (storage) {
      case sqlite -> {
        Path db = data.resolve(LocalRepo.DB_FILE);
        if (!Files.isRegularFile(db)) {
          throw new CliException("no repo to back up in " + data.toAbsolutePath().normalize() + " (no " + LocalRepo.DB_FILE
              + "); --data names the folder loam serve uses, and --storage fs one in automerge-repo's node-fs layout");
        }
        yield SqliteSnapshot.open(db);
      }
      case fs -> {
        if (!Files.isDirectory(data)) {
          throw new CliException("no data folder " + data.toAbsolutePath().normalize() + " to back up");
        }
        yield FileSystemSnapshot.open(data);
      }
      case postgres -> PostgresSnapshot.open(postgresUrl());
      case memory -> throw noMemory();
    };
  }

  /** A restore target: the storage and the data folder's lock (none for PostgreSQL, whose adapter holds an advisory lock). */
  record Target(StorageAdapter storage, Optional<DataFolderLock> lock) implements AutoCloseable {
    @Override
    public void close() {
      try {
        storage.close();
      } finally {
        lock.ifPresent(DataFolderLock::close);
      }
    }
  }

  /**
   * The storage, writable, for {@code purpose}, refused if a server (or any Loam process) holds
   * it: the data folder's lock, or PostgreSQL's advisory lock. Creates the folder or database
   * table if missing.
   *
   * @throws CliException if a server holds the storage
   */
  Target target(String purpose) {
    try {
      return switch (storage) {
        case sqlite, fs -> {
          DataFolderLock lock = DataFolderLock.acquire(data, purpose);
          try {
            StorageAdapter adapter = storage == ServeCommand.StorageKind.sqlite
                ? SqliteStorageAdapter.open(data.resolve(LocalRepo.DB_FILE))
                : FileSystemStorageAdapter.open(data);
            yield new Target(adapter, Optional.of(lock));
          } catch (RuntimeException e) {
            lock.close();
            throw e;
          }
        }
        case postgres -> new Target(PostgresStorageAdapter.builder().url(postgresUrl()).exclusive(true).build(), Optional.empty());
        case memory -> throw noMemory();
      };
    } catch (StorageLockedException e) {
      throw new CliException(e.getMessage() + ". To restore into a running server, give --server ws://HOST:PORT instead"
          + " (the documents then sync in, and the server's clients receive them); --replace needs storage no server holds");
    }
  }

  private CliException noMemory() {
    return new CliException("--storage memory keeps nothing between processes: back up and restore sqlite, fs or postgres storage");
  }

  private String postgresUrl() {
    if (postgresUrl == null || postgresUrl.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--storage postgres needs --postgres-url or LOAM_POSTGRES_URL");
    }
    return postgresUrl;
  }
}
