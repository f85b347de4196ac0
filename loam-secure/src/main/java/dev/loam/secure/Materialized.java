package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The plaintext {@link Document} of one reader, built from the valid envelopes it can open, and
 * the bookkeeping that keeps it equal to exactly those envelopes. Not thread-safe: owned by one
 * {@link SecureDocument}.
 *
 * <p>Implementation notes. Envelopes are applied in the log's causal order; an envelope waits
 * while a parent is neither applied nor failed (its epoch key is not open to this reader yet).
 * Before anything of an envelope is applied, every dependency of each of its changes must be a
 * change of the same envelope (earlier) or of an envelope in its causal past (its parents,
 * transitively): so whether an envelope applies depends only on the envelope DAG and its content,
 * never on arrival order, and every reader holding the key decides alike. The chunks of all the
 * envelopes checked in one update go to {@link Document#applyChanges} in one call, which rejects
 * corrupt input whole; if it does, they are applied one envelope per call, and only the envelopes
 * whose chunks the document rejects fail. When
 * an applied envelope stops being valid (a removal arrived whose cutoff excludes it), the document
 * is rebuilt from the still-valid envelopes under a fresh actor (so no (actor, seq) pair is
 * reused), and this replica's own changes that the rebuild lost are re-applied ({@link Reapply}):
 * the local changes not yet sealed always, the sealed ones when this identity may still write
 * (they come back unsealed, and the next seal puts them in new envelopes).
 */
final class Materialized {
  private final Ed25519PublicKey author;
  private final SecureRandom random;
  private Document document;
  /** The actors this replica wrote under (its first and one per rebuild): whose lost changes it re-applies. */
  private final Set<ActorId> mine = new HashSet<>();
  private final Map<EnvelopeId, Envelope> applied = new LinkedHashMap<>();
  private final Map<EnvelopeId, String> failed = new HashMap<>();
  /** Every envelope that holds a change (a change sealed twice has two homes). */
  private final Map<ChangeHash, List<EnvelopeId>> homes = new HashMap<>();
  /** Heads of the document when every change in it was in an envelope; {@link #unsealed} starts there. */
  private Heads sealedHeads = Heads.EMPTY;

  /** An empty document for a reader whose local changes are bound to {@code author}. */
  Materialized(Ed25519PublicKey author, SecureRandom random) {
    this.author = author;
    this.random = random;
    this.document = freshDocument();
  }

  private Document freshDocument() {
    Document d = Document.create(BoundActor.fresh(author, random));
    mine.add(d.actor());
    return d;
  }

  Document document() {
    return document;
  }

  boolean isApplied(EnvelopeId id) {
    return applied.containsKey(id);
  }

  /** Why an envelope did not open, if it did not. */
  Optional<String> failure(EnvelopeId id) {
    return Optional.ofNullable(failed.get(id));
  }

  /**
   * Brings the document to {@code valid} (the log's valid envelopes in causal order): rebuilds it
   * if an applied envelope is no longer among them, then applies each one it can open, and after a
   * rebuild re-applies this replica's lost changes (the sealed ones only if {@code mayWrite}, asked
   * only then).
   * Returns whether the document was rebuilt (a new {@link Document} instance).
   */
  boolean update(List<Envelope> valid, Function<OpId, Optional<byte[]>> keys, BooleanSupplier mayWrite) {
    Set<EnvelopeId> validIds = new HashSet<>();
    for (Envelope e : valid) {
      validIds.add(e.id());
    }
    boolean rebuild = !validIds.containsAll(applied.keySet());
    List<Change> own = List.of();
    Document old = document;
    if (rebuild) {
      own = ownChanges(mayWrite.getAsBoolean());
      document = freshDocument();
      applied.clear();
      failed.clear();
      homes.clear();
    }
    Map<EnvelopeId, Opening> opened = openAll(valid, keys);
    Map<EnvelopeId, Envelope> byId = new HashMap<>();
    List<Checked> batch = new ArrayList<>();
    for (Envelope e : valid) {
      byId.put(e.id(), e);
      if (applied.containsKey(e.id()) || failed.containsKey(e.id()) || !parentsResolved(e)) {
        continue;
      }
      Opening opening = opened.get(e.id());
      if (opening == null) {
        continue; // no key for its epoch
      }
      try {
        Checked o = new Checked(e, opening.get());
        checkDependencies(o, byId);
        record(e, o.opened().headers());
        batch.add(o);
      } catch (EnvelopeOpenException x) {
        failed.put(e.id(), x.getMessage());
      }
    }
    applyAll(batch, byId);
    if (rebuild) {
      sealedHeads = document.heads();
      Reapply.lost(old, document, own);
    }
    return rebuild;
  }

  /**
   * Decrypts every envelope of {@code valid} not applied or failed yet whose epoch key is open,
   * concurrently (each opening depends on its envelope and key alone); each one's result or failure.
   */
  private Map<EnvelopeId, Opening> openAll(List<Envelope> valid, Function<OpId, Optional<byte[]>> keys) {
    Map<Envelope, byte[]> todo = new LinkedHashMap<>();
    for (Envelope e : valid) {
      if (!applied.containsKey(e.id()) && !failed.containsKey(e.id())) {
        keys.apply(e.epoch()).ifPresent(k -> todo.put(e, k));
      }
    }
    Map<EnvelopeId, Opening> out = new ConcurrentHashMap<>();
    todo.entrySet().parallelStream().forEach(t -> out.put(t.getKey().id(), Opening.of(t.getKey(), t.getValue())));
    return out;
  }

  /** The outcome of decrypting one envelope: what it holds, or why it does not open. */
  private record Opening(Optional<EnvelopeCrypto.Opened> opened, String failure) {
    static Opening of(Envelope e, byte[] key) {
      try {
        return new Opening(Optional.of(EnvelopeCrypto.open(e, key)), "");
      } catch (EnvelopeOpenException x) {
        return new Opening(Optional.empty(), String.valueOf(x.getMessage()));
      }
    }

    EnvelopeCrypto.Opened get() {
      return opened.orElseThrow(() -> new EnvelopeOpenException(failure));
    }
  }

  /** An envelope opened and checked, waiting to be applied. */
  private record Checked(Envelope envelope, EnvelopeCrypto.Opened opened) {
    List<byte[]> chunks() {
      List<byte[]> out = new ArrayList<>(opened.payload().changes().size());
      for (Bytes c : opened.payload().changes()) {
        out.add(c.toByteArray());
      }
      return out;
    }
  }

  private boolean parentsResolved(Envelope e) {
    for (EnvelopeId p : e.parents()) {
      if (!applied.containsKey(p) && !failed.containsKey(p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies the checked envelopes (already recorded as applied) in one call, which is fastest;
   * if the document rejects that call (a chunk that does not decode: the document stays
   * untouched), takes them back and applies them one by one, so that only the bad ones fail.
   */
  private void applyAll(List<Checked> batch, Map<EnvelopeId, Envelope> byId) {
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> all = new ArrayList<>();
    for (Checked o : batch) {
      all.addAll(o.chunks());
    }
    if (tryApply(all).isEmpty()) {
      return;
    }
    for (Checked o : batch) {
      unrecord(o.envelope(), o.opened().headers());
    }
    for (Checked o : batch) {
      try {
        checkDependencies(o, byId);
        Optional<String> problem = tryApply(o.chunks());
        if (problem.isPresent()) {
          throw new EnvelopeOpenException("a change chunk does not apply: " + problem.get());
        }
        record(o.envelope(), o.opened().headers());
      } catch (EnvelopeOpenException x) {
        failed.put(o.envelope().id(), x.getMessage());
      }
    }
  }

  /**
   * Applies {@code chunks}; empty if that worked, else why not. The document rejects bad input
   * whole and stays untouched; any exception is caught because the chunks come from a peer, and
   * one bad envelope must not stop the others.
   */
  private Optional<String> tryApply(List<byte[]> chunks) {
    try {
      document.applyChanges(chunks);
      return Optional.empty();
    } catch (RuntimeException x) {
      return Optional.of(String.valueOf(x.getMessage()));
    }
  }

  /**
   * Checks that every dependency of every change is a change before it in the same envelope or a
   * change of an envelope in its causal past (a parent is the common case; the full past only if
   * needed).
   */
  private void checkDependencies(Checked o, Map<EnvelopeId, Envelope> byId) {
    Envelope e = o.envelope();
    Set<ChangeHash> inThis = new HashSet<>();
    Set<EnvelopeId> parents = Set.copyOf(e.parents());
    Set<EnvelopeId> past = null;
    for (ChangeHeader h : o.opened().headers()) {
      for (ChangeHash dep : h.deps()) {
        if (inThis.contains(dep) || homedIn(dep, parents)) {
          continue;
        }
        if (past == null) {
          past = ancestors(e, byId);
        }
        if (!homedIn(dep, past)) {
          throw new EnvelopeOpenException("a change depends on a change outside the envelope's causal past");
        }
      }
      inThis.add(h.hash());
    }
  }

  private boolean homedIn(ChangeHash dep, Set<EnvelopeId> past) {
    for (EnvelopeId home : homes.getOrDefault(dep, List.of())) {
      if (past.contains(home)) {
        return true;
      }
    }
    return false;
  }

  private static Set<EnvelopeId> ancestors(Envelope e, Map<EnvelopeId, Envelope> byId) {
    Set<EnvelopeId> seen = new HashSet<>();
    ArrayDeque<EnvelopeId> todo = new ArrayDeque<>(e.parents());
    while (!todo.isEmpty()) {
      EnvelopeId id = todo.pop();
      if (seen.add(id)) {
        Envelope p = byId.get(id);
        if (p != null) {
          todo.addAll(p.parents());
        }
      }
    }
    return seen;
  }

  private void record(Envelope e, List<ChangeHeader> headers) {
    applied.put(e.id(), e);
    for (ChangeHeader h : headers) {
      homes.computeIfAbsent(h.hash(), k -> new ArrayList<>(1)).add(e.id());
    }
  }

  private void unrecord(Envelope e, List<ChangeHeader> headers) {
    applied.remove(e.id());
    for (ChangeHeader h : headers) {
      List<EnvelopeId> list = homes.get(h.hash());
      if (list != null) {
        list.remove(e.id());
        if (list.isEmpty()) {
          homes.remove(h.hash());
        }
      }
    }
  }

  /** Records an envelope this replica sealed from its own local changes (already in the document). */
  void sealed(Envelope e, List<Change> changes) {
    applied.put(e.id(), e);
    for (Change c : changes) {
      homes.computeIfAbsent(c.hash(), k -> new ArrayList<>(1)).add(e.id());
    }
  }

  /** Marks every change now in the document as sealed (after a seal that took all of them). */
  void allSealed() {
    sealedHeads = document.heads();
  }

  /** The local changes not in any envelope yet, dependencies first. */
  List<Change> unsealed() {
    if (document.pendingOps() == 0 && document.heads().equals(sealedHeads)) {
      return List.of();
    }
    List<Change> out = new ArrayList<>();
    for (Change c : document.changesSince(sealedHeads)) {
      if (!homes.containsKey(c.hash())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Whether {@code actor} may write local changes to seal: bound to this reader's key. */
  boolean ownActor(ActorId actor) {
    return BoundActor.isBound(actor, author);
  }

  /** This replica's changes in the document, in causal order: the unsealed ones, and the sealed ones too if {@code sealed}. */
  private List<Change> ownChanges(boolean sealed) {
    Set<ChangeHash> unsealed = new HashSet<>();
    for (Change c : unsealed()) {
      unsealed.add(c.hash());
    }
    List<Change> out = new ArrayList<>();
    for (Change c : document.changes()) {
      if (mine.contains(c.actor()) && (sealed || unsealed.contains(c.hash()))) {
        out.add(c);
      }
    }
    return out;
  }
}
