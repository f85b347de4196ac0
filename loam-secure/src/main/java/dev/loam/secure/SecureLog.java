package dev.loam.secure;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Admission.Outcome;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A secure document's membership log and envelope DAG without any key: what the blind server and
 * every member compute alike (rules 1, 2 and 4 of docs/security.md). Not thread-safe: callers
 * confine it or lock around it.
 *
 * <p>Start with {@link #create} and {@link #admit} every item (genesis first; items whose parents
 * are missing come back {@code PENDING}), or rebuild a stored log with {@link #restore}. Validity
 * depends only on the set of items, never on their arrival order, so every replica and the server
 * agree once they hold the same items; {@link #level}, {@link #members} and {@link #isValid} say
 * what holds by everything the log knows now (a removal that arrives later can void what was
 * valid).
 *
 * <h2>Implementation notes</h2>
 * Membership ops live in an {@code OpGraph}. Envelopes are numbered in arrival order (causal:
 * an envelope is stored only once its parents are). Envelope validity is cached and recomputed in
 * arrival order, O(envelopes x heads), after any change of the ops' evaluation or the arrival of a
 * cutoff envelope; the causal past of each effective remove's cutoff is a cached bitset.
 */
public final class SecureLog {
  private final DocumentId document;
  private final List<SecureItem> items = new ArrayList<>();
  private @Nullable OpGraph graph;
  private final List<Envelope> envelopes = new ArrayList<>();
  private final Map<EnvelopeId, Integer> envelopeIndex = new HashMap<>();
  private final List<BitSet> envelopeClosures = new ArrayList<>();
  private final Set<EnvelopeId> cutoffIds = new HashSet<>();
  private final Map<Integer, BitSet> cutoffPasts = new HashMap<>();
  private BitSet envelopeValid = new BitSet();
  /** Authors' levels at the membership heads envelopes name (most envelopes share a few), until the ops change. */
  private final Map<AuthorAt, Optional<Level>> levels = new HashMap<>();
  /** Whether an epoch was safe at the membership heads envelopes name, until the ops change. */
  private final Map<EpochAt, Boolean> safeEpochs = new HashMap<>();
  private boolean envelopesStale;

  private record AuthorAt(Ed25519PublicKey author, List<OpId> heads) {}

  private record EpochAt(OpId epoch, List<OpId> heads) {}

  private SecureLog(DocumentId document) {
    this.document = document;
  }

  /** An empty log for {@code document}; its first item must be the genesis whose id derives {@code document}. */
  public static SecureLog create(DocumentId document) {
    return new SecureLog(document);
  }

  /**
   * A log holding {@code items} (as {@link #items()} gave them, or as storage kept them): the same
   * items as admitting them one by one would keep, but the ops are admitted first and evaluated
   * once, which is much faster for a large log. Items that would be rejected or stay pending are
   * left out.
   */
  public static SecureLog restore(DocumentId document, List<SecureItem> items) {
    SecureLog log = new SecureLog(document);
    Set<SecureItem> kept = new HashSet<>();
    List<MembershipOp> waiting = new ArrayList<>();
    for (SecureItem item : items) {
      if (item instanceof MembershipOp op && op.documentId().equals(document)) {
        waiting.add(op);
      }
    }
    for (boolean progress = true; progress && !waiting.isEmpty(); ) {
      progress = false;
      List<MembershipOp> still = new ArrayList<>();
      for (MembershipOp op : waiting) {
        Admission a = log.admitOp(op, true);
        progress |= a.outcome() == Outcome.ACCEPTED;
        if (a.outcome() == Outcome.ACCEPTED) {
          kept.add(op);
        } else if (a.outcome() == Outcome.PENDING) {
          still.add(op);
        }
      }
      waiting = still;
    }
    if (log.graph != null) {
      log.graph.settle();
      for (SecureItem item : items) {
        if (item instanceof Envelope e && e.documentId().equals(document) && !log.envelopeIndex.containsKey(e.id())
            && log.references(e).isEmpty() && log.permanentCheck(e, log.closureOf(e)).isEmpty()) {
          log.store(e, log.closureOf(e));
          kept.add(e);
        }
      }
    }
    log.items.clear();
    for (SecureItem item : items) {
      if (kept.remove(item)) {
        log.items.add(item);
      }
    }
    log.envelopesStale = true;
    return log;
  }

  /** The document this log belongs to. */
  public DocumentId documentId() {
    return document;
  }

  /**
   * Validates {@code item} against the log and keeps it unless it can never be valid; never throws
   * for a bad item, and leaves the log untouched unless the outcome is {@code ACCEPTED}.
   *
   * <p>{@code REJECTED} is for good: another document, another item with the same id, or an issuer
   * or author whose level at the item's own causal past (parents, or membership heads) does not
   * permit it. An item that passes that but is invalid by the whole log (a removal of its author
   * concurrent with it, outside the removal's cutoff; a parent envelope or head that is invalid) is
   * kept, {@code ACCEPTED} with a reason starting "kept, but" ({@link Admission#keptButInvalid()}),
   * and counts for nothing. Keeping it is what makes every replica hold the same items whatever
   * the arrival order (a later removal can void a valid item, and a removal voided by a senior one
   * can make it valid again), so validity is a function of the items alone. A server may refuse to
   * store or relay such items; an honest author re-sends them if they become valid.
   */
  public Admission admit(SecureItem item) {
    if (!item.documentId().equals(document)) {
      return rejected("the item belongs to another document");
    }
    return switch (item) {
      case MembershipOp op -> admitOp(op, false);
      case Envelope envelope -> admitEnvelope(envelope);
    };
  }

  private Admission admitOp(MembershipOp op, boolean defer) {
    if (op instanceof Genesis genesis) {
      if (graph != null) {
        return graph.genesis().id().equals(genesis.id()) ? duplicate() : rejected("a document has one genesis");
      }
      graph = new OpGraph(genesis);
      items.add(genesis);
      envelopesStale = true;
      return accepted("");
    }
    if (graph == null) {
      return pending("the genesis is not in the log yet");
    }
    if (graph.indexOf(op.id()).isPresent()) {
      return duplicate();
    }
    List<Integer> parents = new ArrayList<>();
    for (OpId p : op.parents()) {
      Optional<Integer> i = graph.indexOf(p);
      if (i.isEmpty()) {
        return pending("a parent op is not in the log yet");
      }
      parents.add(i.get());
    }
    Optional<String> invalid = graph.causalCheck(op, parents);
    if (invalid.isPresent()) {
      return rejected(invalid.get());
    }
    boolean valid = graph.add(op, defer);
    items.add(op);
    if (op instanceof Remove remove) {
      cutoffIds.addAll(remove.cutoff());
    }
    envelopesStale = true;
    return accepted(valid ? "" : "kept, but void: a removal of its issuer is concurrent with it, or its authority is void");
  }

  private Admission admitEnvelope(Envelope envelope) {
    Integer known = envelopeIndex.get(envelope.id());
    if (known != null) {
      return envelopes.get(known).equals(envelope) ? duplicate() : rejected("another envelope has this id");
    }
    Optional<String> missing = references(envelope);
    if (missing.isPresent()) {
      return pending(missing.get());
    }
    BitSet closure = closureOf(envelope);
    Optional<String> forbidden = permanentCheck(envelope, closure);
    if (forbidden.isPresent()) {
      return rejected(forbidden.get());
    }
    refreshEnvelopes();
    Optional<String> invalid = check(envelope, closure, envelopes.size());
    int i = store(envelope, closure);
    items.add(envelope);
    if (invalid.isEmpty()) {
      envelopeValid.set(i);
    }
    return accepted(invalid.map(why -> "kept, but invalid now: " + why).orElse(""));
  }

  /**
   * The part of rule 4 that never changes once the envelope's references are stored: the epoch is a
   * genesis or rotate within the membership heads, and the author may edit there by every stored op.
   */
  private Optional<String> permanentCheck(Envelope e, BitSet closure) {
    OpGraph g = Objects.requireNonNull(graph);
    int epoch = g.indexOf(e.epoch()).orElseThrow();
    if (!(g.op(epoch) instanceof Genesis || g.op(epoch) instanceof Rotate) || !closure.get(epoch)) {
      return Optional.of("the epoch is not a genesis or rotate within the membership heads");
    }
    Optional<Level> level = g.causalLevel(e.author(), closure);
    if (level.isEmpty() || !level.get().atLeast(Level.EDIT)) {
      return Optional.of("the author may not edit at the envelope's membership heads");
    }
    return Optional.empty();
  }

  /** What the envelope names that the log does not hold yet, if anything. */
  private Optional<String> references(Envelope envelope) {
    if (graph == null) {
      return Optional.of("the genesis is not in the log yet");
    }
    for (EnvelopeId p : envelope.parents()) {
      if (!envelopeIndex.containsKey(p)) {
        return Optional.of("a parent envelope is not in the log yet");
      }
    }
    for (OpId h : envelope.membershipHeads()) {
      if (graph.indexOf(h).isEmpty()) {
        return Optional.of("a membership head is not in the log yet");
      }
    }
    if (graph.indexOf(envelope.epoch()).isEmpty()) {
      return Optional.of("the epoch's op is not in the log yet");
    }
    return Optional.empty();
  }

  private int store(Envelope envelope, BitSet closure) {
    int i = envelopes.size();
    envelopes.add(envelope);
    envelopeIndex.put(envelope.id(), i);
    envelopeClosures.add(closure);
    if (cutoffIds.contains(envelope.id())) {
      envelopesStale = true;
    }
    return i;
  }

  private BitSet closureOf(Envelope envelope) {
    List<Integer> heads = new ArrayList<>();
    for (OpId h : envelope.membershipHeads()) {
      heads.add(graph.indexOf(h).orElseThrow());
    }
    return graph.closure(heads);
  }

  /** Rule 4 for envelope number {@code i} (or a new one, i = size), whose parents are stored. */
  private Optional<String> check(Envelope e, BitSet closure, int i) {
    for (EnvelopeId p : e.parents()) {
      if (!envelopeValid.get(envelopeIndex.get(p))) {
        return Optional.of("a parent envelope is invalid");
      }
    }
    for (OpId h : e.membershipHeads()) {
      if (!graph.isValid(graph.indexOf(h).orElseThrow())) {
        return Optional.of("a membership head is a void op");
      }
    }
    int epoch = graph.indexOf(e.epoch()).orElseThrow();
    if (!graph.isValid(epoch)) {
      return Optional.of("the epoch's rotate is void");
    }
    OpGraph g = graph;
    if (!safeEpochs.computeIfAbsent(new EpochAt(e.epoch(), e.membershipHeads()), k -> Epochs.safeAt(g, epoch, closure))) {
      return Optional.of("the epoch was open to someone who was no longer a reader at the envelope's heads (rotate first)");
    }
    Optional<Level> level = levels.computeIfAbsent(new AuthorAt(e.author(), e.membershipHeads()),
        k -> g.level(k.author(), closure));
    if (level.isEmpty() || !level.get().atLeast(Level.EDIT)) {
      return Optional.of("the author may not edit at the envelope's membership heads");
    }
    for (int r : graph.removesOf(e.author())) {
      if (graph.isEffectiveRemove(r) && !closure.get(r) && !inCutoff(r, e, i)) {
        return Optional.of("the author was removed and the envelope is outside the removal's cutoff");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether envelope {@code i} is a cutoff envelope of remove {@code r} or in their past. A cutoff
   * envelope the log does not hold yet counts when it arrives (the log judges again then).
   */
  private boolean inCutoff(int r, Envelope e, int i) {
    Remove remove = (Remove) graph.op(r);
    BitSet past = cutoffPasts.get(r);
    if (past == null) {
      past = new BitSet();
      for (EnvelopeId c : remove.cutoff()) {
        Integer ci = envelopeIndex.get(c);
        if (ci != null) {
          past.or(ancestorsOf(ci));
          past.set(ci);
        }
      }
      cutoffPasts.put(r, past);
    }
    return past.get(i) || remove.cutoff().contains(e.id());
  }

  private BitSet ancestorsOf(int envelope) {
    BitSet out = new BitSet();
    List<Integer> stack = new ArrayList<>(List.of(envelope));
    while (!stack.isEmpty()) {
      int at = stack.removeLast();
      for (EnvelopeId p : envelopes.get(at).parents()) {
        int pi = envelopeIndex.get(p);
        if (!out.get(pi)) {
          out.set(pi);
          stack.add(pi);
        }
      }
    }
    return out;
  }

  private void refreshEnvelopes() {
    if (!envelopesStale) {
      return;
    }
    envelopesStale = false;
    cutoffPasts.clear();
    levels.clear();
    safeEpochs.clear();
    envelopeValid = new BitSet();
    for (int i = 0; i < envelopes.size(); i++) {
      if (check(envelopes.get(i), envelopeClosures.get(i), i).isEmpty()) {
        envelopeValid.set(i);
      }
    }
  }

  /** The current level of {@code member} (at the log's heads), empty if none. */
  public Optional<Level> level(Ed25519PublicKey member) {
    return graph == null ? Optional.empty() : graph.level(member, all());
  }

  private BitSet all() {
    BitSet s = new BitSet();
    s.set(0, graph.size());
    return s;
  }

  /**
   * The current members and their levels: the root first, then in the topological order of each
   * member's first add (the same order on every replica). A member's id (and so the encryption key
   * wraps are sealed to) is the one named by the add that gives them their level.
   */
  public Map<MemberId, Level> members() {
    Map<MemberId, Level> out = new LinkedHashMap<>();
    if (graph == null) {
      return out;
    }
    BitSet all = all();
    for (Ed25519PublicKey key : graph.knownMembers()) {
      graph.membership(key, all).ifPresent(m -> out.put(m.getKey(), m.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Whether {@code member} may fetch the document's items now ({@code relay} or above). */
  public boolean mayPull(Ed25519PublicKey member) {
    return level(member).isPresent();
  }

  /** Whether the envelope is in the log and valid by everything the log knows now (rule 4). */
  public boolean isValid(EnvelopeId envelope) {
    Integer i = envelopeIndex.get(envelope);
    if (i == null) {
      return false;
    }
    refreshEnvelopes();
    return envelopeValid.get(i);
  }

  /** Whether the op is in the log and valid by everything the log knows now (rules 1, 2, 4). */
  public boolean isValid(OpId op) {
    return graph != null && graph.indexOf(op).map(graph::isValid).orElse(false);
  }

  /** The op with this id, if the log holds it. */
  public Optional<MembershipOp> op(OpId id) {
    return graph == null ? Optional.empty() : graph.indexOf(id).map(graph::op);
  }

  /** The envelope with this id, if the log holds it. */
  public Optional<Envelope> envelope(EnvelopeId id) {
    return Optional.ofNullable(envelopeIndex.get(id)).map(envelopes::get);
  }

  /** The document's genesis, if the log holds it. */
  public Optional<Genesis> genesis() {
    return graph == null ? Optional.empty() : Optional.of(graph.genesis());
  }

  /** The valid envelopes, in the order admitted (a causal order): what a reader decrypts and applies. */
  public List<Envelope> validEnvelopes() {
    refreshEnvelopes();
    List<Envelope> out = new ArrayList<>();
    for (int i = envelopeValid.nextSetBit(0); i >= 0; i = envelopeValid.nextSetBit(i + 1)) {
      out.add(envelopes.get(i));
    }
    return out;
  }

  /** Every accepted item, in the order admitted (a causal order). */
  public List<SecureItem> items() {
    return List.copyOf(items);
  }

  /** The valid membership ops that no other valid op follows: the parents of a new op, the heads of a new envelope. */
  public List<OpId> membershipHeads() {
    if (graph == null) {
      return List.of();
    }
    BitSet covered = new BitSet();
    for (int i = 0; i < graph.size(); i++) {
      if (graph.isValid(i)) {
        covered.or(graph.ancestors(i));
      }
    }
    List<OpId> heads = new ArrayList<>();
    for (int i = 0; i < graph.size(); i++) {
      if (graph.isValid(i) && !covered.get(i)) {
        heads.add(graph.op(i).id());
      }
    }
    return Codec.sortedSet(heads);
  }

  /** The heads of the valid envelopes. */
  public List<EnvelopeId> envelopeHeads() {
    refreshEnvelopes();
    Set<EnvelopeId> covered = new HashSet<>();
    for (int i = envelopeValid.nextSetBit(0); i >= 0; i = envelopeValid.nextSetBit(i + 1)) {
      covered.addAll(envelopes.get(i).parents());
    }
    List<EnvelopeId> heads = new ArrayList<>();
    for (int i = envelopeValid.nextSetBit(0); i >= 0; i = envelopeValid.nextSetBit(i + 1)) {
      if (!covered.contains(envelopes.get(i).id())) {
        heads.add(envelopes.get(i).id());
      }
    }
    return Codec.sortedSet(heads);
  }

  /** The op graph, for {@link Epochs} and {@link KeyRing}; empty before the genesis. */
  Optional<OpGraph> graph() {
    return Optional.ofNullable(graph);
  }

  private static Admission accepted(String reason) {
    return new Admission(Outcome.ACCEPTED, reason);
  }

  private static Admission duplicate() {
    return new Admission(Outcome.DUPLICATE, "");
  }

  private static Admission pending(String reason) {
    return new Admission(Outcome.PENDING, reason);
  }

  private static Admission rejected(String reason) {
    return new Admission(Outcome.REJECTED, reason);
  }
}
