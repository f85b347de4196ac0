package dev.loam.mcp;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;

/**
 * Which actors are assistants: the record, kept in the repo folder's own storage, of every actor a
 * {@code loam mcp} process has written as. Each process draws a fresh random actor and, before its
 * first change, stores the entry
 *
 * <pre>
 *   key   ["loam-mcp", "assistant-actors", &lt;actor hex&gt;]
 *   value UTF-8 text: the ISO-8601 instant the process first wrote
 * </pre>
 *
 * beside the documents (in {@code loam.db}), so a change is the assistant's exactly when its actor
 * has an entry, for changes of any earlier {@code loam mcp} process on the folder too. The entries
 * are local to the folder: they are not part of any document, so sync does not carry them (a peer
 * still sees the {@code [assistant]} prefix {@link LoamTools} puts on every assistant change's
 * message). Thread-safe.
 */
final class AssistantActors {
  static final StorageKey PREFIX = StorageKey.of("loam-mcp", "assistant-actors");

  private final StorageAdapter storage;
  private final ActorId mine;
  private final InstantSource clock;
  private final Set<ActorId> known = new HashSet<>(); // guarded by this
  private boolean recorded; // guarded by this

  private AssistantActors(StorageAdapter storage, ActorId mine, InstantSource clock) {
    this.storage = storage;
    this.mine = mine;
    this.clock = clock;
  }

  /** The record in {@code storage}, for a process writing as {@code mine} (not stored until {@link #recordMine}). */
  static AssistantActors open(StorageAdapter storage, ActorId mine, InstantSource clock) {
    AssistantActors a = new AssistantActors(storage, mine, clock);
    for (Chunk c : storage.loadRange(PREFIX)) {
      if (c.key().size() == PREFIX.size() + 1) {
        try {
          a.known.add(ActorId.fromHex(c.key().get(PREFIX.size())));
        } catch (IllegalArgumentException e) {
          // not an actor: not ours to judge; it names no change
        }
      }
    }
    return a;
  }

  /** This process's actor. */
  ActorId mine() {
    return mine;
  }

  /** Stores this process's entry if not yet done; call before its first change. Blocks on storage. */
  synchronized void recordMine() {
    if (!recorded) {
      storage.save(PREFIX.append(mine.hex()), Bytes.of(clock.instant().toString().getBytes(StandardCharsets.UTF_8)));
      known.add(mine);
      recorded = true;
    }
  }

  /** Whether {@code actor} is an assistant's. */
  synchronized boolean isAssistant(ActorId actor) {
    return known.contains(actor);
  }
}
