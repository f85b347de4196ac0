package dev.loam.repo;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;

/**
 * Hears every ephemeral message that reaches a {@link Repo} (presence, cursors, selections), for
 * any document, whether or not the repo has opened a handle for it: automerge-repo's
 * {@code ephemeral-message} event at the repo level. Register with
 * {@link Repo#addEphemeralListener}.
 *
 * <p>Called on the network adapter's thread that received the message, once per message (sender,
 * session and count deduplicated), before the repo relays it; for different peers from different
 * threads at once, so implementations are thread-safe and quick (hand work elsewhere).
 */
@FunctionalInterface
public interface EphemeralListener {
  /** {@code sender} broadcast {@code data} (its CBOR payload, as sent) about {@code document}. */
  void ephemeral(DocumentId document, PeerId sender, Bytes data);
}
