package dev.loam.backup;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How to restore a chain: merging into what the target holds or replacing it, whole or as of a
 * time, with what passphrase and progress callback. Immutable; {@link #merge()} or
 * {@link #replace()}, then the {@code with…} methods.
 *
 * @param mode merge (a CRDT merge: never deletes or overwrites anything the target holds) or
 *     replace (the target ends up holding exactly the backup)
 * @param asOf restore each plain document to its latest heads whose changes all carry a time at or
 *     before this instant, or empty for the whole backup. Change times are the authors' clocks in
 *     whole seconds; the result is always causally complete (a change whose time is early enough
 *     but that depends on a later one is left out with it). A document with no change that early
 *     is not restored; removals recorded by archives created after the instant are not applied.
 *     Secure documents keep their change times inside the ciphertext and are restored whole.
 * @param passphrase opens encrypted archives
 * @param progress hears the run's progress
 */
public record RestoreOptions(Mode mode, Optional<Instant> asOf, Optional<Passphrase> passphrase, Progress progress) {
  /** What a restore does with what the target already holds. */
  public enum Mode {
    /**
     * Each backed-up document is merged into the target's copy (Automerge merge: the union of the
     * changes), secure documents get the items they lack; nothing is removed, so data newer than
     * the backup survives, and a server's peers keep valid sync states.
     */
    MERGE,
    /**
     * The target ends up holding exactly the backup: documents it holds that the backup lacks are
     * removed, changes the backup lacks are dropped, sync states are removed and the storage gets a
     * new storage id (so no peer trusts a sync state about the old contents). Only for a target no
     * server or repo holds open.
     */
    REPLACE
  }

  public RestoreOptions {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(asOf);
    Objects.requireNonNull(passphrase);
    Objects.requireNonNull(progress);
  }

  /** A merging restore of the whole backup, no passphrase, no progress. */
  public static RestoreOptions merge() {
    return new RestoreOptions(Mode.MERGE, Optional.empty(), Optional.empty(), Progress.NONE);
  }

  /** A replacing restore of the whole backup, no passphrase, no progress. */
  public static RestoreOptions replace() {
    return new RestoreOptions(Mode.REPLACE, Optional.empty(), Optional.empty(), Progress.NONE);
  }

  /** These options restoring as of {@code time}. */
  public RestoreOptions withAsOf(Instant time) {
    return new RestoreOptions(mode, Optional.of(time), passphrase, progress);
  }

  /** These options opening encrypted archives with {@code passphrase}. */
  public RestoreOptions withPassphrase(Passphrase passphrase) {
    return new RestoreOptions(mode, asOf, Optional.of(passphrase), progress);
  }

  /** These options reporting to {@code progress}. */
  public RestoreOptions withProgress(Progress progress) {
    return new RestoreOptions(mode, asOf, passphrase, progress);
  }
}
