package dev.loam.backup;

import dev.loam.repo.id.DocumentId;
import java.util.List;

/**
 * What {@link Backup#restore} did to the target. Immutable.
 *
 * @param written documents whose stored state changed (new, or merged with changes the target lacked)
 * @param unchanged documents the target already held in full (a second identical restore writes none)
 * @param removed documents removed from the target (replace mode only)
 * @param notYetCreated documents the backup holds that had no change at or before the as-of time,
 *     so were not restored
 */
public record RestoreSummary(int written, int unchanged, int removed, List<DocumentId> notYetCreated) {
  public RestoreSummary {
    notYetCreated = List.copyOf(notYetCreated);
  }
}
