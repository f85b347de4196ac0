package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One member's view of a secure document: its {@link SecureLog}, the epoch keys this identity can
 * open, and the plaintext {@link Document} materialized from the valid envelopes it can decrypt.
 * Not thread-safe: confine it to one thread or guard it.
 *
 * <p>Start with {@link #create} (a new document, this identity its root admin) or {@link #open}
 * (the items storage or a peer holds). Write on {@link #document()} as on any document, then
 * {@link #seal()} to turn the local changes into signed, encrypted envelopes; {@link #receive}
 * takes items from peers. {@link #document()} returns a new instance after a {@code receive} that
 * invalidated envelopes it held (a removal whose cutoff excludes them): read it again after every
 * {@code receive}. The new instance holds this member's own edits that it wrote in this view and
 * that the rebuild lost (built on the removed author's late changes) re-applied as fresh changes
 * under a fresh actor bound to this identity; operations on objects the removed author made are
 * skipped (docs/security.md says exactly what is kept). The next {@code seal} puts them in new
 * envelopes; sealed edits are re-applied only while this identity may edit.
 *
 * <p>Batching: one {@code seal} makes one envelope, or several of at most {@value #MAX_BATCH_BYTES}
 * bytes of change chunks each when the local changes are bigger (each change whole).
 */
public final class SecureDocument {
  /** The most bytes of change chunks one envelope carries (a single larger change gets an envelope of its own). */
  public static final int MAX_BATCH_BYTES = 1 << 20;

  /** The most items {@link #receive} keeps waiting for their parents; more are dropped (offer them again later). */
  static final int MAX_PENDING = 100_000;

  private final Identity me;
  private final SecureLog log;
  private final SecureRandom random;
  private final Materialized content;
  /** Items offered that the log could not place yet (their parents are missing), by item id. */
  private final Map<Bytes, SecureItem> pending = new LinkedHashMap<>();
  /** Items admitted since {@link #takeUnstored} last ran, for the repo to store. */
  private final List<SecureItem> unstored = new ArrayList<>();
  /** The key ring for the log as it was at {@link #ringVersion} items admitted. */
  private @Nullable KeyRing ring;
  private int ringVersion = -1;
  /** How many items this view admitted (the log changes only then). */
  private int version;

  private SecureDocument(Identity me, SecureLog log, SecureRandom random) {
    this.me = me;
    this.log = log;
    this.random = random;
    this.content = new Materialized(me.signingKey().publicKey(), random);
  }

  /** A new secure document whose root admin is {@code creator}: its genesis (and first epoch). */
  public static SecureDocument create(Identity creator) {
    return create(creator, new SecureRandom());
  }

  /** As {@link #create(Identity)}, taking every random byte (keys, ids, actors) from {@code random}. */
  public static SecureDocument create(Identity creator, SecureRandom random) {
    MembershipOp.WithKey<MembershipOp.Genesis> genesis = MembershipOp.Genesis.create(creator, random);
    SecureDocument d = new SecureDocument(creator, SecureLog.create(genesis.op().documentId()), random);
    d.admitOwn(genesis.op());
    return d;
  }

  /** {@code me}'s view of the document made of {@code items} (admitted in order; invalid ones are left out). */
  public static SecureDocument open(Identity me, DocumentId document, List<SecureItem> items) {
    return open(me, document, items, new SecureRandom());
  }

  /** As {@link #open(Identity, DocumentId, List)}, taking every random byte from {@code random}. */
  public static SecureDocument open(Identity me, DocumentId document, List<SecureItem> items, SecureRandom random) {
    SecureLog log = SecureLog.restore(document, items);
    SecureDocument d = new SecureDocument(me, log, random);
    Set<Bytes> kept = new HashSet<>();
    for (SecureItem item : log.items()) {
      kept.add(item.itemId());
      d.unstored.add(item);
    }
    d.refresh();
    List<SecureItem> rest = new ArrayList<>();
    for (SecureItem item : items) {
      if (!kept.contains(item.itemId())) {
        rest.add(item);
      }
    }
    if (!rest.isEmpty()) {
      d.receive(rest);
    }
    return d;
  }

  /** The document's id, derived from its genesis. */
  public DocumentId id() {
    return log.documentId();
  }

  /** The document's {@code loam-secure:} URL. */
  public SecureUrl url() {
    return new SecureUrl(id());
  }

  /** The membership log and envelope DAG (keyless); callers must not admit items to it directly. */
  public SecureLog log() {
    return log;
  }

  /** This identity's current level, empty if it is not (or no longer) a member. */
  public Optional<Level> level() {
    return log.level(me.signingKey().publicKey());
  }

  /** Whether this identity can decrypt any of the document's epochs. */
  public boolean canRead() {
    return !keyRing().isEmpty();
  }

  /**
   * The plaintext document: every {@link Document} feature works on it; {@link #seal} turns local
   * changes into envelopes. A new instance after a {@link #receive} that rebuilt it.
   */
  public Document document() {
    return content.document();
  }

  /**
   * Seals the document's local changes since the last seal into envelopes, rotating the read key
   * first when rule 5 asks (a member lacks the key of the newest epoch, or it was wrapped for
   * someone no longer a reader). Returns the new items (rotate, then envelopes), empty when there
   * is nothing to seal.
   *
   * @throws AccessDeniedException if this identity may not edit; the local changes stay unsealed
   * @throws IllegalStateException if a local change was written under an actor not bound to this
   *     identity (set with {@link Document#setActor})
   * @throws IllegalArgumentException if one change is bigger than an envelope holds (64 MiB)
   */
  public List<SecureItem> seal() {
    List<Change> local = content.unsealed();
    if (local.isEmpty()) {
      return List.of();
    }
    requireLevel(Level.EDIT, "edit");
    for (Change c : local) {
      if (!content.ownActor(c.actor())) {
        throw new IllegalStateException("a local change was written as actor " + c.actor()
            + ", which is not bound to this identity: write secure documents as the actor they give");
      }
    }
    List<SecureItem> out = new ArrayList<>();
    EpochKey epoch = writeEpoch(out);
    for (List<Change> batch : batches(local)) {
      TreeSet<ActorId> actors = new TreeSet<>();
      List<Bytes> chunks = new ArrayList<>(batch.size());
      for (Change c : batch) {
        actors.add(c.actor());
        chunks.add(c.bytes());
      }
      Envelope e = EnvelopeCrypto.seal(id(), EnvelopeId.random(random), me.signingKey(), log.envelopeHeads(),
          log.membershipHeads(), epoch.epoch(), epoch.key().toByteArray(), new Payload(List.copyOf(actors), chunks));
      admitOwn(e);
      content.sealed(e, batch);
      out.add(e);
    }
    content.allSealed();
    return out;
  }

  /**
   * Adds {@code member} at {@code level} (or changes its level), granting a {@code read}+ member the
   * current epoch key; returns the new items.
   *
   * @throws AccessDeniedException if this identity is not an admin, or {@code level} is above its own
   */
  public List<SecureItem> share(MemberId member, Level level) {
    requireLevel(Level.ADMIN, "share");
    requireLevel(level, "grant " + level.label());
    List<SecureItem> out = new ArrayList<>();
    if (level.atLeast(Level.READ)) {
      writeEpoch(out);
    }
    MembershipOp.Add add = Epochs.add(log, me, keyRing(), member, level);
    admitOwn(add);
    out.add(add);
    return out;
  }

  /**
   * Removes {@code member} (cutoff: the envelope heads known now) and rotates the read key, so
   * nothing written later opens with a key it holds; returns the new items.
   *
   * @throws AccessDeniedException if this identity is not an admin
   * @throws IllegalArgumentException if {@code member} is not a member, or is the root admin
   */
  public List<SecureItem> unshare(MemberId member) {
    requireLevel(Level.ADMIN, "unshare");
    if (!log.members().containsKey(member)) {
      throw new IllegalArgumentException("not a member of " + url() + ": " + member);
    }
    if (log.genesis().map(g -> g.root().equals(member)).orElse(false)) {
      throw new IllegalArgumentException("the root admin of " + url() + " can never be removed");
    }
    List<SecureItem> out = new ArrayList<>();
    MembershipOp.Remove remove = Epochs.remove(log, me, member.signingKey());
    admitOwn(remove);
    out.add(remove);
    out.add(rotateNow().op());
    refresh();
    return out;
  }

  /** The current members and their levels. */
  public Map<MemberId, Level> members() {
    return log.members();
  }

  /**
   * Admits items from a peer or storage (in any order: items whose parents are missing wait for
   * them), then decrypts and applies the valid envelopes this identity can open, in causal order.
   * An envelope that does not open is not applied, nothing of it. Returns the items admitted now.
   */
  public List<SecureItem> receive(List<SecureItem> items) {
    List<SecureItem> admitted = new ArrayList<>();
    for (SecureItem item : items) {
      if (pending.size() < MAX_PENDING) {
        pending.putIfAbsent(item.itemId(), item);
      }
    }
    boolean progress = true;
    while (progress && !pending.isEmpty()) {
      progress = false;
      for (var it = pending.values().iterator(); it.hasNext(); ) {
        SecureItem item = it.next();
        Admission a = log.admit(item);
        switch (a.outcome()) {
          case ACCEPTED -> {
            admitted.add(item);
            unstored.add(item);
            version++;
            it.remove();
            progress = true;
          }
          case DUPLICATE, REJECTED -> it.remove();
          case PENDING -> { }
        }
      }
    }
    if (!admitted.isEmpty()) {
      refresh();
    }
    return admitted;
  }

  /** Every item of the log, in a causal order (what storage and sync hold). */
  public List<SecureItem> items() {
    return log.items();
  }

  /**
   * The document as a plain Automerge file ({@link Document#save()}): what this member can read,
   * without keys, signatures or membership. Anyone who gets the file reads it: export deliberately.
   */
  public byte[] exportPlain() {
    return content.document().save();
  }

  /** Why {@code envelope} did not open for this identity, if it was tried and failed. */
  public Optional<String> openFailure(EnvelopeId envelope) {
    return content.failure(envelope);
  }

  /** Whether {@code envelope}'s changes are in {@link #document()}. */
  public boolean isApplied(EnvelopeId envelope) {
    return content.isApplied(envelope);
  }

  /** The items admitted since the last call, for a store to append; clears the list. */
  List<SecureItem> takeUnstored() {
    List<SecureItem> out = List.copyOf(unstored);
    unstored.clear();
    return out;
  }

  // ---- internals ----

  private void refresh() {
    List<Envelope> valid = new ArrayList<>();
    for (SecureItem item : log.items()) {
      if (item instanceof Envelope e && log.isValid(e.id())) {
        valid.add(e);
      }
    }
    KeyRing ring = keyRing();
    content.update(valid, epoch -> ring.key(epoch).map(k -> k.key().toByteArray()),
        () -> level().map(l -> l.atLeast(Level.EDIT)).orElse(false));
  }

  private KeyRing keyRing() {
    KeyRing r = ring;
    if (r == null || ringVersion != version) {
      r = KeyRing.open(log, me);
      ring = r;
      ringVersion = version;
    }
    return r;
  }

  /** The epoch to write under now; rotates first (adding the rotate to {@code out}) when rule 5 asks. */
  private EpochKey writeEpoch(List<SecureItem> out) {
    if (!Epochs.needsRotation(log, me.signingKey().publicKey())) {
      Optional<EpochKey> key = Epochs.writeEpoch(log).flatMap(keyRing()::key);
      if (key.isPresent()) {
        return key.get();
      }
    }
    MembershipOp.WithKey<MembershipOp.Rotate> r = rotateNow();
    out.add(r.op());
    return r.key();
  }

  private MembershipOp.WithKey<MembershipOp.Rotate> rotateNow() {
    MembershipOp.WithKey<MembershipOp.Rotate> r = Epochs.rotate(log, me, keyRing(), random);
    admitOwn(r.op());
    return r;
  }

  private void admitOwn(SecureItem item) {
    Admission a = log.admit(item);
    if (a.outcome() != Admission.Outcome.ACCEPTED) {
      throw new IllegalStateException("the log did not accept this identity's own item: " + a.reason());
    }
    unstored.add(item);
    version++;
  }

  private void requireLevel(Level needed, String what) {
    Optional<Level> mine = level();
    if (mine.isEmpty() || !mine.get().atLeast(needed)) {
      throw new AccessDeniedException("may not " + what + " " + url() + ": that needs level " + needed.label()
          + ", this identity has " + mine.map(Level::label).orElse("none"));
    }
  }

  private static List<List<Change>> batches(List<Change> changes) {
    List<List<Change>> out = new ArrayList<>();
    List<Change> current = new ArrayList<>();
    long size = 0;
    for (Change c : changes) {
      if (!current.isEmpty() && size + c.bytes().size() > MAX_BATCH_BYTES) {
        out.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(c);
      size += c.bytes().size();
    }
    out.add(current);
    return out;
  }
}
