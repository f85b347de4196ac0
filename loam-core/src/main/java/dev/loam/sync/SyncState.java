package dev.loam.sync;

import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.internal.codec.WireReader;
import dev.loam.internal.codec.WireWriter;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one peer knows about the sync with one other peer of one document. Only {@link
 * #sharedHeads()} outlives a connection: persist it with {@link #encode()} and start every
 * connection with {@link #decode(byte[])} of it (or a new state), never with the in-memory state
 * of a connection that broke. Not thread-safe: confine it with its document.
 */
public final class SyncState {
  static final int TYPE = 0x43;

  List<ChangeHash> sharedHeads = List.of();
  List<ChangeHash> lastSentHeads = List.of();
  @Nullable List<ChangeHash> theirHeads;
  @Nullable List<ChangeHash> theirNeed;
  @Nullable List<Have> theirHave;
  // membership only: a hash set, not a sorted one (a whole document can put every hash here); replaced,
  // never cleared, so that a set that once held a whole history does not keep its table
  Set<ChangeHash> sentHashes = new HashSet<>();
  // the heads of the whole document we last sent, until the peer has them: stands for every change
  // up to them, so sending a history of millions of changes does not list each
  List<ChangeHash> sentDocumentHeads = List.of();
  boolean inFlight;
  boolean haveResponded;
  /** Null until a message with a flags section arrives; then {@code supportsV2} is true. */
  boolean theirCapabilitiesKnown;
  boolean peerSupportsSyncReset;
  boolean readOnly;
  boolean peerReadOnly;
  boolean needsReset;
  // the last Bloom filter of ours, over the changes from filterSince to filterAt: the next message
  // between the same heads (during an initial sync, several are) sends it again without a rebuild
  @Nullable BloomFilter filter;
  List<ChangeHash> filterSince = List.of();
  List<ChangeHash> filterAt = List.of();

  /** A fresh state for a peer we have never synced with. */
  public SyncState() {}

  /** A fresh state that never applies the peer's changes but still sends ours (a publish-only peer). */
  public static SyncState readOnly() {
    SyncState s = new SyncState();
    s.readOnly = true;
    return s;
  }

  /**
   * The persisted form, {@code 0x43} followed by the shared heads as a hash array; exactly what
   * Automerge's {@code encodeSyncState} writes.
   */
  public byte[] encode() {
    WireWriter out = new WireWriter(2 + 32 * sharedHeads.size());
    out.writeByte(TYPE);
    SyncMessage.writeHashes(out, sharedHeads);
    return out.toByteArray();
  }

  /**
   * A fresh state with the shared heads of a persisted one (Automerge's {@code decodeSyncState}).
   * Bytes after the heads are ignored, as Automerge does.
   *
   * @throws DecodeException if the bytes are not a persisted sync state
   */
  public static SyncState decode(byte[] bytes) {
    WireReader in = WireReader.of(bytes);
    int type = in.readByte();
    if (type != TYPE) {
      throw new DecodeException(0, "a sync state type byte 0x43, found 0x" + Integer.toHexString(type));
    }
    SyncState s = new SyncState();
    s.sharedHeads = SyncMessage.readHashes(in, "sharedHeads");
    s.theirHave = List.of();
    return s;
  }

  /**
   * An independent copy of the whole in-memory state (not only what {@link #encode()} keeps): a
   * peer that continues from the copy sends and expects exactly what one continuing from this
   * state would. For simulating many peers that share a history (a load generator).
   */
  public SyncState copy() {
    SyncState s = new SyncState();
    s.sharedHeads = sharedHeads;
    s.lastSentHeads = lastSentHeads;
    s.theirHeads = theirHeads;
    s.theirNeed = theirNeed;
    s.theirHave = theirHave;
    s.sentHashes = new HashSet<>(sentHashes);
    s.sentDocumentHeads = sentDocumentHeads;
    s.inFlight = inFlight;
    s.haveResponded = haveResponded;
    s.theirCapabilitiesKnown = theirCapabilitiesKnown;
    s.peerSupportsSyncReset = peerSupportsSyncReset;
    s.readOnly = readOnly;
    s.peerReadOnly = peerReadOnly;
    s.needsReset = needsReset;
    return s;
  }

  /** The heads both sides are known to have. */
  public List<ChangeHash> sharedHeads() {
    return sharedHeads;
  }

  /** Our heads in the last message we sent. */
  public List<ChangeHash> lastSentHeads() {
    return lastSentHeads;
  }

  /** The heads of the peer's last message; empty (unknown) before its first message, unlike an empty list (a peer with no changes). */
  public Optional<List<ChangeHash>> theirHeads() {
    return Optional.ofNullable(theirHeads);
  }

  /** The hashes the peer asked for in its last message; empty (unknown) before its first message. */
  public Optional<List<ChangeHash>> theirNeed() {
    return Optional.ofNullable(theirNeed);
  }

  /** The peer's summaries of what it has, from its last message; empty (unknown) before its first message. */
  public Optional<List<Have>> theirHave() {
    return Optional.ofNullable(theirHave);
  }

  /**
   * The changes we sent one by one in this session that the peer has not yet acknowledged; a
   * read-only view of them as they are now. A whole document sent is not listed here but in
   * {@link #sentDocumentHeads()}.
   */
  public Set<ChangeHash> sentHashes() {
    return Collections.unmodifiableSet(sentHashes);
  }

  /**
   * The heads of the whole document we sent in this session, while the peer has not yet
   * acknowledged them; empty when none is outstanding. Every change up to these heads counts as
   * sent.
   */
  public List<ChangeHash> sentDocumentHeads() {
    return sentDocumentHeads;
  }

  /** Forgets what was sent this session (the peer reset or lost everything). */
  void forgetSent() {
    sentHashes = new HashSet<>();
    sentDocumentHeads = List.of();
  }

  /** Whether we sent a message and have not heard back since. */
  public boolean inFlight() {
    return inFlight;
  }

  /** Whether we have sent this peer a message yet (until then one is sent even when nothing changed). */
  public boolean haveResponded() {
    return haveResponded;
  }

  /** Whether the peer has shown (by sending a flags section) that it understands v2 messages. */
  public boolean peerSupportsV2() {
    return theirCapabilitiesKnown;
  }

  /** Whether the peer has said that it understands {@link MessageFlags#SYNC_RESET}. */
  public boolean peerSupportsSyncReset() {
    return peerSupportsSyncReset;
  }

  /** Whether we ignore the peer's changes. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** Whether the peer said, in its last message, that it ignores our changes. */
  public boolean isPeerReadOnly() {
    return peerReadOnly;
  }

  /**
   * Switches read-only mode. Leaving read-only mode restarts the exchange and asks the peer to
   * resend what it sent while we ignored it (with the sync-reset flag, or empty heads for peers
   * that predate it); entering it makes the next message announce it.
   */
  public void setReadOnly(boolean readOnly) {
    if (this.readOnly == readOnly) {
      return;
    }
    if (!readOnly) {
      boolean v2 = theirCapabilitiesKnown;
      boolean reset = peerSupportsSyncReset;
      sharedHeads = List.of();
      lastSentHeads = List.of();
      theirHeads = null;
      theirNeed = null;
      theirHave = null;
      forgetSent();
      inFlight = false;
      haveResponded = false;
      peerReadOnly = false;
      theirCapabilitiesKnown = v2;
      peerSupportsSyncReset = reset;
      this.readOnly = false;
      needsReset = true;
    } else {
      this.readOnly = true;
      inFlight = false;
      haveResponded = false;
    }
  }

  @Override
  public String toString() {
    return "SyncState[shared=" + sharedHeads + ", lastSent=" + lastSentHeads + ", theirHeads=" + theirHeads
        + ", sent=" + sentHashes.size() + ", sentDocument=" + sentDocumentHeads + ", inFlight=" + inFlight + ", responded=" + haveResponded + "]";
  }
}
