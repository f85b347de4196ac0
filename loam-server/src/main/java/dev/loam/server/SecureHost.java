package dev.loam.server;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Admission;
import dev.loam.secure.Envelope;
import dev.loam.secure.EnvelopeId;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.SecureItem;
import dev.loam.secure.SecureLog;
import dev.loam.secure.SecureStore;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.net.SecureMessage;
import dev.loam.secure.net.SecureMessage.Items;
import dev.loam.secure.net.SecureMessage.Pull;
import dev.loam.secure.net.SecureMessage.Pulled;
import dev.loam.secure.net.SecureMessage.Push;
import dev.loam.secure.net.SecureMessage.Pushed;
import dev.loam.secure.net.SecureMessage.Rejection;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of secure documents: a blind, authorizing relay. It keeps every document's
 * items in a {@link SecureStore}, admits pushed items through the document's {@link SecureLog}
 * (by each item's own signer and level, never the connection's), answers signed pulls of members
 * ({@code relay} and above) and streams new items to subscribed members. It never holds a key that
 * opens content, and never logs an item's bytes.
 *
 * <p>Pulls, pushes and deliveries of one document run under that document's lock, so a pull and
 * the pushes around it see one order and a subscriber misses nothing. The logs of at most
 * {@code maxLogs} documents stay in memory (least recently used first out); an evicted log is
 * rebuilt from the store on next use, and so is one behind a {@linkplain SecureStore#shared shared}
 * store (a cluster) where another server stored items since. Thread-safe.
 */
final class SecureHost {
  private static final Logger log = LoggerFactory.getLogger(SecureHost.class);
  /** Items of one {@code items} message: at most this many bytes (and {@link SecureMessage#MAX_ITEMS}), at least one item. */
  private static final long BATCH_BYTES = 4L << 20;
  /** Items read from the store at once while answering a pull. */
  private static final int READ_BATCH = 256;
  /** Said of every item a push may not learn more about (no existence leak). */
  static final String NOT_ACCEPTED = "not accepted";
  /** How many plain document ids {@link #holds} remembers. */
  static final int PLAIN_REMEMBERED = 65_536;

  private final SecureStore store;
  private final String audience;
  private final ReplayGuard replays;
  private final ServerMetrics metrics;
  private final int maxLogs;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<DocumentId, Slot> slots = new ConcurrentHashMap<>();
  /** Plain documents remembered as not secure (so the plain path reads no storage for them), least recently used first; guarded by itself. */
  private final LinkedHashMap<DocumentId, Boolean> plain = new LinkedHashMap<>(16, 0.75f, true);
  /** Bumped each time a genesis is stored, so a lookup that raced with one is not remembered as plain. */
  private final java.util.concurrent.atomic.AtomicLong created = new java.util.concurrent.atomic.AtomicLong();
  /** Documents whose log is in memory, least recently used first; guarded by itself. */
  private final LinkedHashMap<DocumentId, Slot> loaded = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * A document's log in memory and the envelopes it holds that the store does not: kept by the log
   * ({@link Admission#keptButInvalid()}: a removal of their author outside its cutoff voids them)
   * but refused here, neither stored nor relayed. They stay in this log only, so that it judges
   * later items as every replica does; a log rebuilt from the store simply lacks them.
   */
  private record Loaded(SecureLog log, Set<EnvelopeId> refused) {}

  /** One document the store holds (or a genesis is being admitted for). */
  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    /** The log, or null when not in memory; read and replaced under {@link #lock}, cleared by eviction. */
    volatile @Nullable Loaded log;
    /** The store's last sequence number that {@link #log} reflects; under {@link #lock}. */
    long logSeq;
    /** Set under {@link #lock} when the slot was dropped from the map: users take a fresh one. */
    boolean dead;
    final Set<SecureSession> subscribers = ConcurrentHashMap.newKeySet();
  }

  SecureHost(SecureStore store, String audience, InstantSource clock, ServerMetrics metrics, int maxLogs, int maxNonces) {
    this(store, audience, metrics, maxLogs, new ReplayGuard(clock, maxNonces));
  }

  /** As the other constructor, with the given guard against replayed requests (shared by a cluster). */
  SecureHost(SecureStore store, String audience, ServerMetrics metrics, int maxLogs, ReplayGuard replays) {
    this.store = store;
    this.audience = audience;
    this.replays = replays;
    this.metrics = metrics;
    this.maxLogs = maxLogs;
    metrics.gauge("loam.secure.logs", "Secure documents whose membership log is in memory", this::logsInMemory);
    metrics.gauge("loam.secure.nonces", "Request nonces remembered against replay", replays::size);
  }

  /** The audience signed requests must name: this server's storage id. */
  String audience() {
    return audience;
  }

  ReplayGuard replays() {
    return replays;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /** A fresh session (protocol state) for a new connection on the secure path. */
  SecureSession newSession(WebSocketServerAdapter adapter) {
    byte[] nonce = new byte[SecureMessage.NONCE_LENGTH];
    random.nextBytes(nonce);
    return new SecureSession(this, adapter, dev.loam.Bytes.wrap(nonce));
  }

  /**
   * Whether the store holds {@code document} (a secure document). Blocks on one storage read for
   * a document not seen recently; the last {@value #PLAIN_REMEMBERED} plain ones are remembered.
   */
  boolean holds(DocumentId document) {
    synchronized (plain) {
      if (plain.get(document) != null) {
        return false;
      }
    }
    long before = created.get();
    boolean secure = store.contains(document);
    if (!secure) {
      synchronized (plain) {
        if (created.get() == before) { // no genesis stored meanwhile: the answer still holds
          plain.put(document, Boolean.TRUE);
          if (plain.size() > PLAIN_REMEMBERED) {
            plain.pollFirstEntry();
          }
        }
      }
    }
    return secure;
  }

  int logsInMemory() {
    synchronized (loaded) {
      return loaded.size();
    }
  }

  /**
   * Answers {@code pull} by {@code member} (whose signature the session checked): the items after
   * its cursor and {@code pulled}, then later items if it subscribes. A document the store does not
   * hold and one the member may not pull get the same answer: {@code pulled} with cursor 0.
   */
  void pull(SecureSession session, Ed25519PublicKey member, Pull pull) {
    DocumentId doc = pull.documentId();
    Slot slot = existing(doc);
    if (slot == null) {
      session.send(new Pulled(doc, 0));
      return;
    }
    slot.lock.lock();
    try {
      if (slot.dead) {
        session.send(new Pulled(doc, 0));
        return;
      }
      SecureLog logOf = log(doc, slot).log();
      if (!logOf.mayPull(member)) {
        session.send(new Pulled(doc, 0));
        return;
      }
      long cursor = Math.min(pull.cursor(), store.lastSeq(doc));
      List<SecureStore.StoredBytes> batch = new ArrayList<>();
      long batchBytes = 0;
      while (true) {
        List<SecureStore.StoredBytes> read = store.afterEncoded(doc, cursor, READ_BATCH);
        if (read.isEmpty()) {
          break;
        }
        for (SecureStore.StoredBytes s : read) {
          if (!batch.isEmpty() && (batch.size() == SecureMessage.MAX_ITEMS || batchBytes + s.encoded().size() > BATCH_BYTES)) {
            session.send(new Items(doc, batch));
            batch = new ArrayList<>();
            batchBytes = 0;
          }
          batch.add(s);
          batchBytes += s.encoded().size();
          cursor = s.seq();
        }
      }
      if (!batch.isEmpty()) {
        session.send(new Items(doc, batch));
      }
      session.send(new Pulled(doc, cursor));
      if (pull.subscribe() && session.subscribe(doc)) {
        slot.subscribers.add(session);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Checks and stores the items of {@code push}, each by its own signer, in order; answers
   * {@code pushed} once every accepted item is durable (and sent to the document's subscribers,
   * which hear it before the pusher's answer). Reasons from the document's log are told only to a
   * pusher who may pull the document; others learn only {@value #NOT_ACCEPTED}.
   */
  void push(SecureSession session, Ed25519PublicKey member, Push push) {
    DocumentId doc = push.documentId();
    List<Integer> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    List<SecureItem> items = new ArrayList<>();
    List<SecureItem.Decoded> decoded = SecureItem.decodeAll(push.items()); // signatures checked concurrently
    for (int i = 0; i < decoded.size(); i++) {
      switch (decoded.get(i)) {
        case SecureItem.Decoded.Item(SecureItem item) when !item.documentId().equals(doc) -> {
          metrics.secureItem("other-document");
          rejected.add(new Rejection(i, "the item belongs to another document"));
        }
        case SecureItem.Decoded.Item(SecureItem item) -> {
          indexes.add(i);
          items.add(item);
        }
        case SecureItem.Decoded.Malformed m -> {
          metrics.secureItem("malformed");
          rejected.add(new Rejection(i, "malformed item"));
        }
      }
    }
    if (!items.isEmpty()) {
      admit(member, doc, indexes, items, accepted, rejected);
    }
    rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
    session.send(new Pushed(doc, accepted, rejected));
  }

  private void admit(Ed25519PublicKey member, DocumentId doc, List<Integer> indexes,
                     List<SecureItem> items, List<Integer> accepted, List<Rejection> rejected) {
    boolean genesis = items.stream().anyMatch(i -> i instanceof MembershipOp.Genesis);
    while (true) {
      Slot slot = genesis ? slots.computeIfAbsent(doc, d -> new Slot()) : existing(doc);
      if (slot == null) {
        for (int i : indexes) {
          metrics.secureItem("rejected");
          rejected.add(new Rejection(i, NOT_ACCEPTED));
        }
        return;
      }
      slot.lock.lock();
      try {
        if (slot.dead) {
          continue;
        }
        List<Rejection> reasons = new ArrayList<>();
        List<SecureStore.StoredBytes> stored = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
          // log() again each time: a failed store drops the log, and the next item needs it rebuilt
          admitOne(doc, slot, log(doc, slot), indexes.get(k), items.get(k), accepted, reasons, stored);
        }
        SecureLog now = log(doc, slot).log();
        boolean reveal = now.mayPull(member);
        for (Rejection r : reasons) {
          rejected.add(reveal ? r : new Rejection(r.index(), NOT_ACCEPTED));
        }
        if (!stored.isEmpty()) {
          deliver(doc, slot, now, stored);
        }
        if (store.lastSeq(doc) == 0) {
          slot.dead = true; // a refused genesis: keep nothing for a document that does not exist
          slots.remove(doc, slot);
          unload(doc);
        }
        return;
      } finally {
        slot.lock.unlock();
      }
    }
  }

  /**
   * Admits one item and stores it if accepted and valid; holding the slot's lock. An envelope the
   * log keeps but holds invalid now is refused (its author re-sends it if it becomes valid); a
   * membership op the log keeps is stored even when void, since later ops may name it as a parent
   * and a void op grants nothing.
   */
  private void admitOne(DocumentId doc, Slot slot, Loaded loaded, int index, SecureItem item,
                        List<Integer> accepted, List<Rejection> reasons, List<SecureStore.StoredBytes> stored) {
    Admission a = loaded.log().admit(item);
    switch (a.outcome()) {
      case ACCEPTED -> {
        if (a.keptButInvalid() && item instanceof Envelope e) {
          loaded.refused().add(e.id());
          metrics.secureItem("invalid");
          reasons.add(new Rejection(index, truncate("refused: " + a.reason())));
        } else {
          storeAccepted(doc, slot, loaded, index, item, accepted, reasons, stored);
        }
      }
      case DUPLICATE -> {
        if (item instanceof Envelope e && loaded.refused().contains(e.id())) {
          if (loaded.log().isValid(e.id())) { // valid again (the removal was voided): store it now
            storeAccepted(doc, slot, loaded, index, item, accepted, reasons, stored);
          } else {
            metrics.secureItem("invalid");
            reasons.add(new Rejection(index, "refused: invalid now (its author was removed; outside the cutoff)"));
          }
        } else {
          accepted.add(index);
          metrics.secureItem("duplicate");
        }
      }
      case PENDING -> {
        metrics.secureItem("pending");
        reasons.add(new Rejection(index, truncate("pending: " + a.reason())));
      }
      case REJECTED -> {
        metrics.secureItem("rejected");
        reasons.add(new Rejection(index, truncate(a.reason())));
      }
    }
  }

  /** Stores an item the log holds valid, after any refused ancestor that is valid again; holding the slot's lock. */
  private void storeAccepted(DocumentId doc, Slot slot, Loaded loaded, int index, SecureItem item,
                             List<Integer> accepted, List<Rejection> reasons, List<SecureStore.StoredBytes> stored) {
    try {
      if (item instanceof Envelope e) {
        storeRefusedAncestors(slot, loaded, e, stored);
        loaded.refused().remove(e.id());
      }
      long seq = store.append(item);
      advance(slot, seq);
      if (item instanceof MembershipOp.Genesis) {
        synchronized (plain) {
          created.incrementAndGet();
          plain.remove(doc);
        }
      }
      accepted.add(index);
      stored.add(new SecureStore.StoredBytes(seq, item.encoded()));
      metrics.secureItem("accepted");
    } catch (RuntimeException e) {
      // the log is ahead of the store now: drop it, to be rebuilt from what is stored
      slot.log = null;
      unload(doc);
      log.warn("secure document {}: storing an accepted item failed ({})", doc, e.toString());
      metrics.secureItem("failed");
      reasons.add(new Rejection(index, "not stored (the server's storage failed): push it again"));
    }
  }

  /** Stores, parents first, the refused envelopes {@code e} descends from (valid again, since {@code e} is valid). */
  private void storeRefusedAncestors(Slot slot, Loaded loaded, Envelope e, List<SecureStore.StoredBytes> stored) {
    for (EnvelopeId p : e.parents()) {
      if (loaded.refused().contains(p)) {
        Envelope parent = loaded.log().envelope(p).orElseThrow();
        storeRefusedAncestors(slot, loaded, parent, stored);
        loaded.refused().remove(p);
        long seq = store.append(parent);
        advance(slot, seq);
        stored.add(new SecureStore.StoredBytes(seq, parent.encoded()));
      }
    }
  }

  /**
   * Records that the log reflects item {@code seq}, just stored from it, when it follows the last
   * one the log reflects; a gap means another server stored items between, and the next
   * {@link #log} call rebuilds. Holding the slot's lock.
   */
  private static void advance(Slot slot, long seq) {
    if (seq == slot.logSeq + 1) {
      slot.logSeq = seq;
    }
  }

  /** Sends newly stored items to the document's subscribers that may still pull it; holding the slot's lock. */
  private void deliver(DocumentId doc, Slot slot, SecureLog logOf, List<SecureStore.StoredBytes> stored) {
    for (SecureSession s : slot.subscribers) {
      if (s.member().filter(logOf::mayPull).isPresent()) {
        for (int from = 0; from < stored.size(); from += SecureMessage.MAX_ITEMS) {
          s.send(new Items(doc, stored.subList(from, Math.min(stored.size(), from + SecureMessage.MAX_ITEMS))));
        }
      } else {
        slot.subscribers.remove(s); // removed since it subscribed: it hears nothing more
        s.unsubscribed(doc);
      }
    }
  }

  /** Forgets {@code session}'s subscriptions (its connection closed). */
  void forget(SecureSession session, Set<DocumentId> subscriptions) {
    for (DocumentId doc : subscriptions) {
      Slot s = slots.get(doc);
      if (s != null) {
        s.subscribers.remove(session);
      }
    }
  }

  /** The slot of a document the store holds, or null (nothing is kept for a document it does not hold). */
  private @Nullable Slot existing(DocumentId doc) {
    Slot s = slots.get(doc);
    if (s != null) {
      return s;
    }
    return store.contains(doc) ? slots.computeIfAbsent(doc, d -> new Slot()) : null;
  }

  /** The document's log, rebuilt from the store if not in memory; holding the slot's lock. */
  private Loaded log(DocumentId doc, Slot slot) {
    Loaded l = slot.log;
    if (l != null && store.shared() && store.lastSeq(doc) > slot.logSeq) {
      l = null; // another server of the cluster stored items since: judge by the log with them
    }
    if (l == null) {
      slot.logSeq = store.lastSeq(doc); // before reading: an item stored meanwhile only causes another rebuild
      l = new Loaded(SecureLog.restore(doc, store.loadVerifiedBefore(doc)), new HashSet<>());
      slot.log = l;
    }
    synchronized (loaded) {
      loaded.put(doc, slot);
      Iterator<Map.Entry<DocumentId, Slot>> eldest = loaded.entrySet().iterator();
      while (loaded.size() > maxLogs && eldest.hasNext()) {
        Map.Entry<DocumentId, Slot> e = eldest.next();
        if (e.getValue() != slot) {
          e.getValue().log = null; // a holder of its lock keeps its own reference; the next user rebuilds
          eldest.remove();
        }
      }
    }
    return l;
  }

  private void unload(DocumentId doc) {
    synchronized (loaded) {
      loaded.remove(doc);
    }
  }

  private static String truncate(String reason) {
    return reason.length() <= 200 ? reason : reason.substring(0, 200) + "...";
  }
}
