package dev.loam.backup;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to create an archive: full or incremental ({@code since} a previous archive, itself possibly
 * incremental: give the whole chain, full first), encrypted or not, with what progress callback
 * and clock. Immutable; {@link #full()} then the {@code with…} methods.
 *
 * @param since the chain this backup continues (full first, then its incrementals in order), or
 *     empty for a full backup; the new archive's parent is the last of them
 * @param passphrase encrypts the archive when present (PBKDF2-HMAC-SHA256 and AES-256-GCM)
 * @param sincePassphrase opens the archives of {@code since} when they are encrypted
 * @param kdfIterations PBKDF2 iterations for a new encrypted archive, at least
 *     {@link #MIN_KDF_ITERATIONS}
 * @param progress hears the run's progress
 * @param clock gives the archive's creation time
 */
public record CreateOptions(
    List<Path> since,
    Optional<Passphrase> passphrase,
    Optional<Passphrase> sincePassphrase,
    int kdfIterations,
    Progress progress,
    InstantSource clock) {
  /** The fewest PBKDF2-HMAC-SHA256 iterations an archive is written with (OWASP's 2023 advice). */
  public static final int MIN_KDF_ITERATIONS = 600_000;

  public CreateOptions {
    since = List.copyOf(since);
    Objects.requireNonNull(passphrase);
    Objects.requireNonNull(sincePassphrase);
    Objects.requireNonNull(progress);
    Objects.requireNonNull(clock);
    if (kdfIterations < MIN_KDF_ITERATIONS) {
      throw new IllegalArgumentException("PBKDF2 iterations must be at least " + MIN_KDF_ITERATIONS + ": " + kdfIterations);
    }
  }

  /** A full, unencrypted backup, no progress, the system clock. */
  public static CreateOptions full() {
    return new CreateOptions(List.of(), Optional.empty(), Optional.empty(), MIN_KDF_ITERATIONS,
        Progress.NONE, InstantSource.system());
  }

  /** These options, incremental after {@code chain} (full first; empty for a full backup). */
  public CreateOptions withSince(List<Path> chain) {
    return new CreateOptions(chain, passphrase, sincePassphrase, kdfIterations, progress, clock);
  }

  /** These options, encrypting the new archive with {@code passphrase} and opening {@code since} with it too. */
  public CreateOptions withPassphrase(Passphrase passphrase) {
    return new CreateOptions(since, Optional.of(passphrase), Optional.of(passphrase), kdfIterations, progress, clock);
  }

  /** These options, opening the archives of {@code since} with {@code passphrase}. */
  public CreateOptions withSincePassphrase(Passphrase passphrase) {
    return new CreateOptions(since, this.passphrase, Optional.of(passphrase), kdfIterations, progress, clock);
  }

  /** These options with {@code iterations} PBKDF2 iterations (at least {@link #MIN_KDF_ITERATIONS}). */
  public CreateOptions withKdfIterations(int iterations) {
    return new CreateOptions(since, passphrase, sincePassphrase, iterations, progress, clock);
  }

  /** These options reporting to {@code progress}. */
  public CreateOptions withProgress(Progress progress) {
    return new CreateOptions(since, passphrase, sincePassphrase, kdfIterations, progress, clock);
  }

  /** These options taking the creation time from {@code clock}. */
  public CreateOptions withClock(InstantSource clock) {
    return new CreateOptions(since, passphrase, sincePassphrase, kdfIterations, progress, clock);
  }
}
