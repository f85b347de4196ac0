/**
 * Presence: who is here, their cursors and selections, as ephemeral state that is never stored.
 * Start with {@link dev.loam.repo.presence.Presence#builder(dev.loam.repo.DocHandle)}, then
 * {@code start(initialState)} and {@code broadcast(channel, value)}; read the peers' states with
 * {@code peerStates()} or follow them with a {@link dev.loam.repo.presence.Presence.Listener}.
 * The messages are automerge-repo 2.5.6's {@code Presence} messages, so a Loam app and a JS app
 * see each other. For raw ephemeral messages use {@link dev.loam.repo.DocHandle#broadcast} and
 * {@link dev.loam.repo.Repo#addEphemeralListener}.
 *
 * <p>Announcing who is here and where the cursor is:
 * {@snippet class=dev.loam.repo.presence.PresenceExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.presence;

import org.jspecify.annotations.NullMarked;
