package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.LoadResult;
import java.util.List;

/**
 * A document as Automerge's sync protocol ({@code dev.loam.sync.Sync}) sees it: its heads, the
 * changes it has since some heads, the bytes of one change or of the whole document, and the one
 * write the protocol makes, loading a peer's changes. {@code Document} hands one out per sync
 * call, after committing its pending writes; it is the document's own engine, so it shares the
 * document's confinement (not thread-safe). Not exported from the module.
 */
public interface SyncDoc {
  /** A change's hash and dependencies (sorted), without its bytes: what sync's Bloom logic needs. */
  record ChangeLink(ChangeHash hash, List<ChangeHash> deps) {}

  Heads heads();

  /** How many changes have been applied (queued changes do not count). */
  int changeCount();

  /** Whether the change {@code hash} has been applied (queued changes do not count). */
  boolean hasChange(ChangeHash hash);

  /** Whether every change of {@code changes} is one of {@code at} or an ancestor of one; false if any is unknown. */
  boolean includes(Heads at, Heads changes);

  /** The hashes of the changes not reachable from {@code have} (unknown hashes ignored), dependencies first. */
  List<ChangeHash> hashesSince(Heads have);

  /**
   * The first 16 bytes of the hashes {@link #hashesSince} lists, in its order, as two big-endian
   * longs per change (bytes 0-7, then 8-15): all a Bloom filter reads.
   */
  long[] hashWordsSince(Heads have);

  /** The changes not reachable from {@code have} (unknown hashes ignored), in application order, as links. */
  List<ChangeLink> linksSince(Heads have);

  /**
   * The first hash on each path back from {@code start} that is neither applied nor queued, walking
   * through the dependencies of queued changes; sorted.
   */
  List<ChangeHash> missingDepsFrom(Heads start);

  /** The chunk of the applied change {@code hash}, or null if there is none. */
  byte[] chunkOf(ChangeHash hash);

  /** The whole document as one document chunk, then the chunks of changes still waiting for dependencies. */
  byte[] save(boolean compress);

  /** The total size of the applied changes' chunks, in bytes: the measure of a document's size for limits. */
  long historyBytes();

  /**
   * Applies a sequence of chunks (a torn final chunk is skipped), refusing with a {@link
   * QueueLimitException} a batch that would leave more than {@code maxQueued} changes waiting.
   * Corrupt input is rejected whole and leaves the document untouched.
   */
  LoadResult loadIncremental(byte[] bytes, int maxQueued);
}
