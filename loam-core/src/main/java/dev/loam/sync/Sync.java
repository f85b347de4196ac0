package dev.loam.sync;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.internal.doc.QueueLimitException;
import dev.loam.internal.doc.SyncDoc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Automerge's sync protocol: generates the next message for a peer and takes in the peer's
 * messages, so two replicas of a document converge exchanging only what the other lacks.
 * Stateless; runs on the caller's thread under the document's and state's confinement.
 *
 * <p>Implementation notes. The algorithm is Automerge's ({@code rust/automerge/src/sync.rs};
 * Kleppmann &amp; Howard, arXiv 2012.00472), step for step, so that Loam and Automerge peers send
 * the same messages:
 * <ul>
 *   <li>Generating: ask for what we lack on the way to the peer's heads ({@code need}); while we
 *       ask for nothing beyond their heads, summarise what we have since the shared heads in a
 *       Bloom filter ({@code have}); if their last-sync heads name a change we lack, send a reset
 *       message; send every change their filters don't contain, closed over dependents, minus
 *       those sent this session — or the whole document when they have nothing or when that is
 *       more than a third of our changes (v2 peers only). No message when nothing changed since
 *       our last one and either they are up to date or our last one is unanswered.</li>
 *   <li>Receiving: load the changes, advance the shared heads, forget sent hashes the peer now
 *       has, remember their heads, need and have.</li>
 * </ul>
 * Cost per call is O(changes since the shared heads) plus O(k) per Bloom probe. Receiving applies
 * the changes before touching the state, so a message that fails to decode or apply leaves both
 * the document and the state as they were.
 */
public final class Sync {
  private Sync() {}

  /**
   * The next message for the peer of {@code state}, or empty when there is nothing to say (the
   * peer is up to date, or our last message is unanswered). Updates {@code state}.
   */
  public static Optional<SyncMessage> generateSyncMessage(Document doc, SyncState state) {
    SyncDoc e = doc.syncDoc();
    List<ChangeHash> ourHeads = e.heads().hashes();
    List<ChangeHash> theirHeads = state.theirHeads;

    List<ChangeHash> ourNeed = state.readOnly || theirHeads == null
        ? List.of()
        : e.missingDepsFrom(Heads.of(theirHeads));

    Set<ChangeHash> theirHeadSet = theirHeads == null ? Set.of() : new HashSet<>(theirHeads);
    List<Have> ourHave = theirHeadSet.containsAll(ourNeed)
        ? List.of(new Have(state.sharedHeads, filterOfOurs(e, state, ourHeads)))
        : List.of();

    if (state.theirHave != null && !state.theirHave.isEmpty()) {
      for (ChangeHash h : state.theirHave.get(0).lastSync()) {
        if (!e.hasChange(h)) {
          return Optional.of(resetMessage(ourHeads));
        }
      }
    }

    Outgoing out;
    if (state.peerReadOnly) {
      out = Outgoing.none(state);
    } else if (state.theirHave != null && state.theirNeed != null) {
      if (theirHeads != null && theirHeads.isEmpty() && state.theirCapabilitiesKnown) {
        out = wholeDocument(e);
      } else if (state.theirNeed.isEmpty() && theirHeadSet.containsAll(ourHeads)) {
        // they have our heads, so every change we have: no filter to probe (a peer that has just
        // taken a whole document answers with a filter of all of it)
        out = Outgoing.none(state);
      } else {
        List<ChangeHash> hashes = new ArrayList<>();
        List<ChangeHash> candidates = hashesToSend(e, state.theirHave, state.theirNeed);
        Set<ChangeHash> afterSentDocument = state.sentDocumentHeads.isEmpty() || candidates.isEmpty()
            ? null
            : new HashSet<>(e.hashesSince(Heads.of(state.sentDocumentHeads)));
        for (ChangeHash h : candidates) {
          // hashesToSend lists changes we have: one not after the document we sent is in it
          boolean inSentDocument = afterSentDocument != null && !afterSentDocument.contains(h);
          if (!inSentDocument && !state.sentHashes.contains(h)) {
            hashes.add(h);
          }
        }
        if (hashes.size() > e.changeCount() / 3 && state.theirCapabilitiesKnown) {
          out = wholeDocument(e);
        } else {
          out = Outgoing.changes(e, hashes, state);
        }
      }
    } else {
      out = Outgoing.none(state);
    }

    boolean headsUnchanged = state.lastSentHeads.equals(ourHeads);
    boolean headsEqual = ourHeads.equals(theirHeads);
    if (headsUnchanged && state.haveResponded) {
      if ((headsEqual || state.readOnly) && out.sendsNothing()) {
        return Optional.empty();
      }
      if (state.inFlight) {
        return Optional.empty();
      }
    }

    state.haveResponded = true;
    state.lastSentHeads = ourHeads;
    state.sentHashes.addAll(out.hashes);
    if (out.documentHeads != null) {
      // our history only grows: the document just sent holds whatever an earlier one did
      state.sentDocumentHeads = out.documentHeads;
    }

    int flags = MessageFlags.SUPPORTS_SYNC_RESET | (state.readOnly ? MessageFlags.READ_ONLY : 0);
    List<ChangeHash> headsToSend = ourHeads;
    if (state.needsReset) {
      state.needsReset = false;
      if (state.peerSupportsSyncReset) {
        flags |= MessageFlags.SYNC_RESET;
      } else {
        headsToSend = List.of();
      }
    }
    state.inFlight = true;
    return Optional.of(new SyncMessage(out.version, headsToSend, ourNeed, ourHave, out.chunks, Optional.of(new MessageFlags(flags))));
  }

  /**
   * The Bloom filter of our changes since the shared heads, kept on {@code state} for the next
   * message between the same heads: the filter depends on nothing else (hashes name content).
   */
  private static BloomFilter filterOfOurs(SyncDoc e, SyncState state, List<ChangeHash> ourHeads) {
    if (state.filter == null || !state.filterSince.equals(state.sharedHeads) || !state.filterAt.equals(ourHeads)) {
      state.filter = BloomFilter.ofHashWords(e.hashWordsSince(Heads.of(state.sharedHeads)));
      state.filterSince = state.sharedHeads;
      state.filterAt = ourHeads;
    }
    return state.filter;
  }

  /** Decodes {@code message} and takes it in, with the default {@link SyncLimits}. */
  public static void receiveSyncMessage(Document doc, SyncState state, byte[] message) {
    receiveSyncMessage(doc, state, message, SyncLimits.DEFAULT);
  }

  /**
   * Decodes {@code message} and takes it in.
   *
   * @throws DecodeException if the message (or a change in it) is malformed; nothing changed
   * @throws SyncLimitException if accepting it would pass {@code limits}; nothing changed
   */
  public static void receiveSyncMessage(Document doc, SyncState state, byte[] message, SyncLimits limits) {
    if (message.length > limits.maxMessageBytes()) {
      throw new SyncLimitException(SyncLimitException.Limit.MESSAGE_BYTES, message.length, limits.maxMessageBytes());
    }
    receiveSyncMessage(doc, state, SyncMessage.decode(message), limits);
  }

  /** Takes in a decoded message, with the default {@link SyncLimits}. */
  public static void receiveSyncMessage(Document doc, SyncState state, SyncMessage message) {
    receiveSyncMessage(doc, state, message, SyncLimits.DEFAULT);
  }

  /**
   * Takes in a decoded message: applies its changes (unless {@code state} is read-only) and
   * records what the peer has and needs.
   *
   * @throws DecodeException if a change in it is malformed or does not apply; nothing changed
   * @throws SyncLimitException if accepting it would pass {@code limits}; nothing changed
   */
  public static void receiveSyncMessage(Document doc, SyncState state, SyncMessage message, SyncLimits limits) {
    SyncDoc e = doc.syncDoc();
    List<ChangeHash> beforeHeads = e.heads().hashes();
    boolean loadChanges = !message.changes().isEmpty() && !state.readOnly;
    if (loadChanges) {
      byte[] joined = message.joinedChanges();
      long docBytes = e.historyBytes();
      if (docBytes + joined.length > limits.maxDocumentBytes()) {
        throw new SyncLimitException(SyncLimitException.Limit.DOCUMENT_BYTES, docBytes + joined.length,
            limits.maxDocumentBytes());
      }
      try {
        e.loadIncremental(joined, limits.maxQueuedChanges());
      } catch (QueueLimitException q) {
        throw new SyncLimitException(SyncLimitException.Limit.QUEUED_CHANGES, q.waiting(), q.limit());
      }
    }

    // Nothing below can fail: the state changes only once the message is in.
    state.inFlight = false;
    if (message.flags().isPresent()) {
      MessageFlags flags = message.flags().get();
      state.theirCapabilitiesKnown = true;
      state.peerSupportsSyncReset = flags.has(MessageFlags.SUPPORTS_SYNC_RESET);
      if (flags.has(MessageFlags.SYNC_RESET)) {
        state.forgetSent();
      }
      state.peerReadOnly = flags.has(MessageFlags.READ_ONLY);
    }
    if (loadChanges) {
      state.sharedHeads = advanceHeads(beforeHeads, e.heads().hashes(), state.sharedHeads);
    }

    List<ChangeHash> theirHeads = message.heads();
    List<ChangeHash> known = new ArrayList<>();
    for (ChangeHash h : theirHeads) {
      if (e.hasChange(h)) {
        known.add(h);
      }
    }
    if (!state.sentHashes.isEmpty() && !known.isEmpty()) {
      // keep only the sent hashes that are not ancestors of what they just announced, in a new set:
      // walking the old one would cost its table, as large as the most it ever held (a whole history)
      Set<ChangeHash> kept = new HashSet<>();
      for (ChangeHash h : e.hashesSince(Heads.of(known))) {
        if (state.sentHashes.contains(h)) {
          kept.add(h);
        }
      }
      state.sentHashes = kept;
    }
    if (!state.sentDocumentHeads.isEmpty() && !known.isEmpty()
        && e.includes(Heads.of(known), Heads.of(state.sentDocumentHeads))) {
      state.sentDocumentHeads = List.of();
    }
    if (message.changes().isEmpty() && theirHeads.equals(beforeHeads)) {
      state.lastSentHeads = theirHeads;
    }
    if (known.size() == theirHeads.size()) {
      state.sharedHeads = theirHeads;
      if (theirHeads.isEmpty()) {
        // they lost everything: start over
        state.lastSentHeads = List.of();
        state.forgetSent();
      }
    } else {
      TreeSet<ChangeHash> union = new TreeSet<>(state.sharedHeads);
      union.addAll(known);
      state.sharedHeads = List.copyOf(union);
    }
    state.theirHave = message.have();
    state.theirHeads = theirHeads;
    state.theirNeed = message.need();
  }

  /** The message asking the peer to start over: our heads and an empty have. */
  private static SyncMessage resetMessage(List<ChangeHash> ourHeads) {
    return new SyncMessage(SyncMessage.Version.V1, ourHeads, List.of(), List.of(Have.EMPTY), List.of(),
        Optional.of(new MessageFlags(MessageFlags.SUPPORTS_SYNC_RESET)));
  }

  /**
   * Every change the peer's filters do not contain (since the union of its last-sync heads), closed
   * over dependents, preceded by the needed hashes we have that are not already among them;
   * dependencies before dependents.
   */
  static List<ChangeHash> hashesToSend(SyncDoc e, List<Have> have, List<ChangeHash> need) {
    List<ChangeHash> needed = new ArrayList<>();
    for (ChangeHash h : need) {
      if (e.hasChange(h)) {
        needed.add(h);
      }
    }
    if (have.isEmpty()) {
      return needed;
    }
    Set<ChangeHash> lastSync = new HashSet<>();
    for (Have h : have) {
      lastSync.addAll(h.lastSync());
    }
    List<SyncDoc.ChangeLink> candidates = e.linksSince(Heads.of(lastSync));
    Set<ChangeHash> toSend = new HashSet<>();
    for (SyncDoc.ChangeLink c : candidates) {
      boolean inSomeFilter = false;
      for (Have h : have) {
        if (h.bloom().contains(c.hash())) {
          inSomeFilter = true;
          break;
        }
      }
      if (!inSomeFilter) {
        toSend.add(c.hash());
      }
    }
    if (toSend.isEmpty()) {
      // the usual case once in sync: nothing to close over dependents
      return new ArrayList<>(new LinkedHashSet<>(needed));
    }
    if (toSend.size() == candidates.size()) {
      // every candidate goes (a new peer): the closure over dependents adds nothing
      LinkedHashSet<ChangeHash> out = new LinkedHashSet<>(needed);
      out.removeAll(toSend);
      for (SyncDoc.ChangeLink c : candidates) {
        out.add(c.hash());
      }
      return new ArrayList<>(out);
    }
    Map<ChangeHash, List<ChangeHash>> dependents = new HashMap<>();
    for (SyncDoc.ChangeLink c : candidates) {
      for (ChangeHash d : c.deps()) {
        dependents.computeIfAbsent(d, k -> new ArrayList<>(2)).add(c.hash());
      }
    }
    ArrayDeque<ChangeHash> stack = new ArrayDeque<>(toSend);
    while (!stack.isEmpty()) {
      List<ChangeHash> ds = dependents.get(stack.pop());
      if (ds != null) {
        for (ChangeHash d : ds) {
          if (toSend.add(d)) {
            stack.push(d);
          }
        }
      }
    }
    LinkedHashSet<ChangeHash> out = new LinkedHashSet<>();
    for (ChangeHash h : needed) {
      if (!toSend.contains(h)) {
        out.add(h);
      }
    }
    for (SyncDoc.ChangeLink c : candidates) {
      if (toSend.contains(c.hash())) {
        out.add(c.hash());
      }
    }
    return new ArrayList<>(out);
  }

  /** The new heads that were not heads before, plus the old shared heads that are still heads; sorted. */
  static List<ChangeHash> advanceHeads(List<ChangeHash> oldHeads, List<ChangeHash> newHeads, List<ChangeHash> shared) {
    Set<ChangeHash> old = new HashSet<>(oldHeads);
    Set<ChangeHash> now = new HashSet<>(newHeads);
    TreeSet<ChangeHash> out = new TreeSet<>();
    for (ChangeHash h : newHeads) {
      if (!old.contains(h)) {
        out.add(h);
      }
    }
    for (ChangeHash h : shared) {
      if (now.contains(h)) {
        out.add(h);
      }
    }
    return List.copyOf(out);
  }

  /** The whole document, recorded as sent by its heads rather than by each of its changes' hashes. */
  private static Outgoing wholeDocument(SyncDoc e) {
    return new Outgoing(SyncMessage.Version.V2, List.of(Bytes.wrap(e.save(true))), List.of(), e.heads().hashes());
  }

  /**
   * The changes part of a message being built: the hashes of the changes it carries one by one,
   * or the heads of the whole document it carries (null when it carries none).
   */
  private record Outgoing(SyncMessage.Version version, List<Bytes> chunks, List<ChangeHash> hashes,
      @Nullable List<ChangeHash> documentHeads) {
    static Outgoing none(SyncState state) {
      return new Outgoing(state.theirCapabilitiesKnown ? SyncMessage.Version.V2 : SyncMessage.Version.V1,
          List.of(), List.of(), null);
    }

    /** Whether it carries no change (a document of none has no heads). */
    boolean sendsNothing() {
      return hashes.isEmpty() && (documentHeads == null || documentHeads.isEmpty());
    }

    static Outgoing changes(SyncDoc e, List<ChangeHash> hashes, SyncState state) {
      if (hashes.isEmpty()) {
        return none(state);
      }
      List<byte[]> chunks = new ArrayList<>(hashes.size());
      long total = 0;
      for (ChangeHash h : hashes) {
        byte[] c = e.chunkOf(h);
        chunks.add(c);
        total += c.length;
      }
      if (!state.theirCapabilitiesKnown) {
        List<Bytes> each = new ArrayList<>(chunks.size());
        for (byte[] c : chunks) {
          each.add(Bytes.wrap(c));
        }
        return new Outgoing(SyncMessage.Version.V1, each, hashes, null);
      }
      byte[] joined = new byte[Math.toIntExact(total)];
      int at = 0;
      for (byte[] c : chunks) {
        System.arraycopy(c, 0, joined, at, c.length);
        at += c.length;
      }
      return new Outgoing(SyncMessage.Version.V2, List.of(Bytes.wrap(joined)), hashes, null);
    }
  }
}
