package dev.loam.secure;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
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
 * never on arrival order, and every reader holding the key decides alike. The chunks of one
 * envelope go to {@link Document#applyChanges} in one call, which rejects corrupt input whole. When
 * an applied envelope stops being valid (a removal arrived whose cutoff excludes it), the document
 * is rebuilt from the still-valid envelopes under a fresh actor (so no (actor, seq) pair is
 * reused), and the local changes not yet sealed are carried over when their dependencies survive.
 */
final class Materialized {
  private final Ed25519PublicKey author;
  private final SecureRandom random;
  private Document document;
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
    this.document = Document.create(BoundActor.fresh(author, random));
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
   * if an applied envelope is no longer among them, then applies each one it can open. Returns
   * whether the document was rebuilt (a new {@link Document} instance).
   */
  boolean update(List<Envelope> valid, Function<OpId, Optional<byte[]>> keys) {
    Set<EnvelopeId> validIds = new HashSet<>();
    for (Envelope e : valid) {
      validIds.add(e.id());
    }
    boolean rebuild = !validIds.containsAll(applied.keySet());
    List<Change> carried = List.of();
    if (rebuild) {
      carried = unsealed();
      document = Document.create(BoundActor.fresh(author, random));
      applied.clear();
      failed.clear();
      homes.clear();
    }
    Map<EnvelopeId, Envelope> byId = new HashMap<>();
    for (Envelope e : valid) {
      byId.put(e.id(), e);
      if (applied.containsKey(e.id()) || failed.containsKey(e.id()) || !parentsResolved(e)) {
        continue;
      }
      Optional<byte[]> key = keys.apply(e.epoch());
      if (key.isEmpty()) {
        continue;
      }
      try {
        apply(e, EnvelopeCrypto.open(e, key.get()), byId);
      } catch (EnvelopeOpenException x) {
        failed.put(e.id(), x.getMessage());
      }
    }
    if (rebuild) {
      sealedHeads = document.heads();
      carryOver(carried);
    }
    return rebuild;
  }

  private boolean parentsResolved(Envelope e) {
    for (EnvelopeId p : e.parents()) {
      if (!applied.containsKey(p) && !failed.containsKey(p)) {
        return false;
      }
    }
    return true;
  }

  private void apply(Envelope e, EnvelopeCrypto.Opened opened, Map<EnvelopeId, Envelope> byId) {
    Set<ChangeHash> inThis = new HashSet<>();
    Set<EnvelopeId> past = null;
    for (ChangeHeader h : opened.headers()) {
      for (ChangeHash dep : h.deps()) {
        if (inThis.contains(dep)) {
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
    List<byte[]> chunks = new ArrayList<>(opened.payload().changes().size());
    for (Bytes c : opened.payload().changes()) {
      chunks.add(c.toByteArray());
    }
    try {
      document.applyChanges(chunks);
    } catch (LoamException x) {
      throw new EnvelopeOpenException("a change chunk does not decode: " + x.getMessage(), x);
    }
    record(e, opened.headers());
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

  /** Re-applies carried local changes whose dependencies are all in the rebuilt document. */
  private void carryOver(List<Change> carried) {
    Set<ChangeHash> present = new HashSet<>();
    List<byte[]> keep = new ArrayList<>();
    for (Change c : carried) {
      boolean ok = true;
      for (ChangeHash d : c.deps()) {
        ok &= present.contains(d) || document.change(d).isPresent();
      }
      if (ok) {
        present.add(c.hash());
        keep.add(c.bytes().toByteArray());
      }
    }
    document.applyChanges(keep);
  }
}
