package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Secure documents at rest in a {@link StorageAdapter}: each document's items (membership ops and
 * envelopes, exactly as signed) under a per-document sequence number. A member's folder and the
 * server's data folder use this same layout, so a copy of either opens as the other. Thread-safe.
 *
 * <p>Layout (every key starts with {@value #ROOT}, which no plain document id can be):
 * <pre>
 * ["loam-secure", docId, "seq", %016x seq]  -> the item's signed encoding, byte for byte
 * ["loam-secure", docId, "id",  hex itemId] -> seq as 8 bytes, big-endian
 * ["loam-secure", docId, "mark", %016x seq] -> a member's verification mark of that item (optional)
 * </pre>
 * Sequence numbers start at 1 and have no gaps; the fixed-width hex keeps them in numeric order
 * in sorted stores. Nothing else is stored: no key material, no plaintext (a mark is
 * an HMAC that only its identity can check, see {@link VerificationMarks}). The epoch keys a member
 * may use are in the log's wraps, sealed to its X25519 key.
 *
 * <p>Durability is the adapter's: an item is durable when {@link #append} returns exactly when the
 * adapter's {@code save} is (SQLite with {@code synchronous=FULL} and PostgreSQL survive power
 * loss; the file-system adapter forces file and folder; the in-memory adapter keeps nothing).
 * {@link #append} writes the item first, then its index entry; a process that dies between the
 * two leaves an item without an index entry, which the next process repairs the first time it
 * touches the document. A failed save leaves the sequence number unused, to be reused by the next
 * append; readers never see a number above the last complete append.
 *
 * <p>A store made by {@link #on} is written by one process at a time (the server's data folder
 * lock, a repo's folder lock): sequence numbers are assigned in memory. One made by
 * {@link #shared} is written by several processes over one database (a cluster of servers): each
 * append claims its number with {@link StorageAdapter#saveIfAbsent}, taking the next on a
 * conflict, and every read first looks past the number it knew for items others appended.
 *
 * <p>Implementation notes: the last sequence number of a document is found on first use by an
 * exponential then binary search over point loads ({@code 2 log2 n} loads), and then kept in
 * memory; appends to one document are serialised, appends to different documents are not.
 */
public final class SecureStore {
  /** The first component of every key this store writes. */
  public static final String ROOT = "loam-secure";
  /** The most items {@link #after} returns at once. */
  public static final int MAX_BATCH = 10_000;

  private static final String SEQ = "seq";
  private static final String ID = "id";
  private static final String MARK = "mark";
  private static final HexFormat HEX = HexFormat.of();

  private final StorageAdapter storage;
  private final Function<Bytes, Bytes> idOf;
  private final ConcurrentHashMap<DocumentId, Doc> docs = new ConcurrentHashMap<>();
  private final boolean shared;

  /** One document's last sequence number: 0 for none, -1 until looked up. Guarded by itself. */
  private static final class Doc {
    long last = -1;
  }

  SecureStore(StorageAdapter storage, Function<Bytes, Bytes> idOf) {
    this(storage, idOf, false);
  }

  private SecureStore(StorageAdapter storage, Function<Bytes, Bytes> idOf, boolean shared) {
    this.storage = storage;
    this.idOf = idOf;
    this.shared = shared;
  }

  /**
   * A store keeping its items in {@code storage} that other processes write too (several servers
   * over one PostgreSQL database): sequence numbers are claimed in storage, never only in memory.
   * Each read of a document costs one more point load (is there an item past the last one known?).
   */
  public static SecureStore shared(StorageAdapter storage) {
    return new SecureStore(storage, encoded -> VerifiedItems.itemIdOf(encoded.toByteArray()), true);
  }

  /** A store keeping its items in {@code storage} (which the caller closes). */
  public static SecureStore on(StorageAdapter storage) {
    return new SecureStore(storage, encoded -> VerifiedItems.itemIdOf(encoded.toByteArray()));
  }

  /** Whether other processes write this store too (made by {@link #shared}). */
  public boolean shared() {
    return shared;
  }

  /** One stored item and its sequence number in its document (1, 2, 3...). */
  public record Stored(long seq, SecureItem item) {}

  /** One stored item's signed encoding and its sequence number, as a relay sends it on without decoding. */
  public record StoredBytes(long seq, Bytes encoded) {}

  /**
   * Stores {@code item} after the document's last one unless an item with its id is stored already;
   * durable when it returns. Returns its sequence number (the existing one for a duplicate).
   * Blocks on storage I/O; appends to the same document wait for each other.
   *
   * @throws IllegalArgumentException if an item with the same id but other bytes is stored, or
   *     the document has no item yet and this one is not its genesis (nothing is written)
   * @throws StorageException if the adapter fails (the item may or may not be stored; appending
   *     it again is safe)
   */
  public long append(SecureItem item) {
    if (!(item instanceof MembershipOp.Genesis) && !contains(item.documentId())) {
      throw new IllegalArgumentException("document " + item.documentId() + " has no item yet: its first item is its genesis");
    }
    return append(item.documentId(), item.itemId(), item.encoded());
  }

  long append(DocumentId document, Bytes itemId, Bytes encoded) {
    Doc doc = doc(document);
    synchronized (doc) {
      long last = last(document, doc);
      Optional<Long> existing = indexed(document, itemId, last);
      if (existing.isPresent()) {
        long seq = existing.get();
        Bytes stored = storage.load(seqKey(document, seq)).orElseThrow();
        if (stored.equals(encoded)) {
          return seq;
        }
        if (idOf.apply(stored).equals(itemId)) {
          throw new IllegalArgumentException("document " + document + " already holds item " + itemId.hex()
              + " with other bytes (the same id must never carry other content)");
        }
        // the index entry outlived a failed append whose number was reused: it is stale
      }
      long seq = last + 1;
      if (!shared) {
        storage.save(seqKey(document, seq), encoded);
      } else {
        while (!storage.saveIfAbsent(seqKey(document, seq), encoded)) { // another process took the number
          if (storage.load(seqKey(document, seq)).filter(encoded::equals).isPresent()) {
            break; // it stored this very item: keep its number
          }
          doc.last = seq;
          seq = last(document, doc) + 1;
          Optional<Long> theirs = indexed(document, itemId, seq - 1);
          if (theirs.isPresent() && storage.load(seqKey(document, theirs.get())).filter(encoded::equals).isPresent()) {
            return theirs.get();
          }
        }
      }
      storage.save(idKey(document, itemId), seqBytes(seq));
      doc.last = seq;
      return seq;
    }
  }

  /**
   * Up to {@code max} items of {@code document} with sequence numbers above {@code cursor}, in
   * order, each decoded and verified. Blocks on storage I/O.
   *
   * @throws IllegalArgumentException if {@code cursor} is negative or {@code max} is not 1 to {@link #MAX_BATCH}
   * @throws MalformedItemException if a stored item does not decode (a damaged store)
   */
  public List<Stored> after(DocumentId document, long cursor, int max) {
    List<Stored> out = new ArrayList<>();
    for (StoredBytes s : afterEncoded(document, cursor, max)) {
      out.add(new Stored(s.seq(), SecureItem.decode(s.encoded().toByteArray())));
    }
    return out;
  }

  /**
   * Like {@link #after} but without decoding: the items' bytes as stored, for a relay that
   * verified them when they arrived. Blocks on storage I/O.
   */
  public List<StoredBytes> afterEncoded(DocumentId document, long cursor, int max) {
    if (cursor < 0) {
      throw new IllegalArgumentException("a cursor is never negative: " + cursor);
    }
    if (max < 1 || max > MAX_BATCH) {
      throw new IllegalArgumentException("max must be 1 to " + MAX_BATCH + ": " + max);
    }
    long last = lastSeq(document);
    List<StoredBytes> out = new ArrayList<>();
    for (long seq = cursor + 1; seq <= last && out.size() < max; seq++) {
      long s = seq;
      Bytes bytes = storage.load(seqKey(document, seq)).orElseThrow(() -> new StorageException(
          "secure store damaged: document " + document + " lacks item " + s + " of " + last));
      out.add(new StoredBytes(seq, bytes));
    }
    return out;
  }

  /**
   * Every item of {@code document}, in order, each decoded and verified; empty if the store does
   * not hold it. Blocks on storage I/O.
   *
   * @throws MalformedItemException if a stored item does not decode (a damaged store)
   */
  public List<SecureItem> load(DocumentId document) {
    return load(document, s -> SecureItem.decode(s.encoded().toByteArray()));
  }

  /**
   * Every item of {@code document}, in order, decoded WITHOUT checking signatures: only for a
   * holder that verified every item before appending it and whose storage nobody else writes — a
   * server reloading its own data folder (docs/security.md, "Verification once"). Never for a
   * folder that came from elsewhere. Blocks on storage I/O.
   *
   * @throws MalformedItemException if a stored item does not decode (a damaged store)
   */
  public List<SecureItem> loadVerifiedBefore(DocumentId document) {
    return load(document, s -> VerifiedItems.decodeVerifiedBefore(s.encoded().toByteArray()));
  }

  /** Every item of {@code document}, in order, each made by {@code decoder}. */
  private List<SecureItem> load(DocumentId document, Function<StoredBytes, SecureItem> decoder) {
    List<SecureItem> out = new ArrayList<>();
    for (StoredBytes s : loadEncoded(document)) {
      out.add(decoder.apply(s));
    }
    return out;
  }

  /** Every item of {@code document} as stored, in order. Blocks on storage I/O. */
  List<StoredBytes> loadEncoded(DocumentId document) {
    List<StoredBytes> out = new ArrayList<>();
    long cursor = 0;
    while (true) {
      List<StoredBytes> batch = afterEncoded(document, cursor, MAX_BATCH);
      if (batch.isEmpty()) {
        return out;
      }
      out.addAll(batch);
      cursor = batch.getLast().seq();
    }
  }

  /** Every verification mark stored for {@code document}, by sequence number (see {@link VerificationMarks}). */
  Map<Long, Bytes> marks(DocumentId document) {
    Map<Long, Bytes> out = new HashMap<>();
    for (Chunk c : storage.loadRange(StorageKey.of(ROOT, document.toString(), MARK))) {
      StorageKey k = c.key();
      if (k.size() == 4 && k.get(3).length() == 16) {
        try {
          out.put(HexFormat.fromHexDigitsToLong(k.get(3)), c.data());
        } catch (NumberFormatException e) {
          // not a key this store wrote: ignored, like any other foreign key
        }
      }
    }
    return out;
  }

  /** Stores the verification mark of item {@code seq} of {@code document}, beside the item. Blocks on storage I/O. */
  void saveMark(DocumentId document, long seq, Bytes mark) {
    storage.save(StorageKey.of(ROOT, document.toString(), MARK, seqText(seq)), mark);
  }

  /** The sequence number of {@code document}'s last item, 0 if it has none. Blocks on storage I/O the first time. */
  public long lastSeq(DocumentId document) {
    Doc doc = docs.get(document);
    if (doc == null) {
      if (!exists(document, 1)) {
        return 0; // keeps no memory for a document it does not hold
      }
      doc = doc(document);
    }
    synchronized (doc) {
      return last(document, doc);
    }
  }

  /**
   * Whether the store holds any item of {@code document}. Blocks on storage I/O (one point load)
   * unless it has seen the document before; keeps no memory for a document it does not hold.
   */
  public boolean contains(DocumentId document) {
    Doc doc = docs.get(document);
    if (doc != null) {
      synchronized (doc) {
        if (doc.last > 0) {
          return true;
        }
      }
    }
    return exists(document, 1);
  }

  /**
   * The secure documents stored (those with a first item, their genesis). Reads the whole store
   * once: for tools that list a folder, not for a request path.
   */
  public Set<DocumentId> documents() {
    Set<DocumentId> out = new HashSet<>();
    String first = seqText(1);
    for (Chunk c : storage.loadRange(StorageKey.of(ROOT))) {
      StorageKey k = c.key();
      if (k.size() == 4 && k.get(2).equals(SEQ) && k.get(3).equals(first)) {
        DocumentId.tryParse(k.get(1)).ifPresent(out::add);
      }
    }
    return Set.copyOf(out);
  }

  // --- internals ---

  private Doc doc(DocumentId document) {
    return docs.computeIfAbsent(document, d -> new Doc());
  }

  /** The last sequence number, looked up (and the index repaired) on first use; holding {@code doc}. */
  private long last(DocumentId document, Doc doc) {
    if (shared && doc.last >= 0) {
      while (exists(document, doc.last + 1)) { // appended by another process
        doc.last++;
      }
    }
    if (doc.last < 0) {
      long last = probeLast(document);
      if (last > 0) {
        repairIndex(document, last);
      }
      doc.last = last;
    }
    return doc.last;
  }

  /** The greatest n with item n stored, given that items 1..n are all stored (no gaps). */
  private long probeLast(DocumentId document) {
    if (!exists(document, 1)) {
      return 0;
    }
    long low = 1; // stored
    long high = 2; // candidate, doubled until absent
    while (exists(document, high)) {
      low = high;
      high *= 2;
    }
    while (high - low > 1) { // low stored, high absent
      long mid = low + (high - low) / 2;
      if (exists(document, mid)) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private boolean exists(DocumentId document, long seq) {
    return storage.load(seqKey(document, seq)).isPresent();
  }

  /** Writes the index entry of the last item if a process died between writing the item and its entry. */
  private void repairIndex(DocumentId document, long last) {
    Bytes stored = storage.load(seqKey(document, last)).orElseThrow();
    Bytes id = idOf.apply(stored);
    if (indexed(document, id, last).filter(seq -> seq == last).isEmpty()) {
      storage.save(idKey(document, id), seqBytes(last));
    }
  }

  /** The sequence number the index gives for {@code itemId}, if it is one of the first {@code last}. */
  private Optional<Long> indexed(DocumentId document, Bytes itemId, long last) {
    return storage.load(idKey(document, itemId)).flatMap(b -> {
      if (b.size() != Long.BYTES) {
        return Optional.empty();
      }
      long seq = ByteBuffer.wrap(b.toByteArray()).getLong();
      return seq >= 1 && seq <= last ? Optional.of(seq) : Optional.empty();
    });
  }

  static StorageKey seqKey(DocumentId document, long seq) {
    return StorageKey.of(ROOT, document.toString(), SEQ, seqText(seq));
  }

  static StorageKey idKey(DocumentId document, Bytes itemId) {
    return StorageKey.of(ROOT, document.toString(), ID, itemId.hex());
  }

  private static String seqText(long seq) {
    return HEX.toHexDigits(seq);
  }

  private static Bytes seqBytes(long seq) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
  }
}
