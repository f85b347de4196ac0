package dev.loam.backup;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import dev.loam.secure.SecureStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The documents in one storage snapshot, grouped by document from its chunks in the layouts a
 * repo and a {@link SecureStore} write:
 *
 * <pre>
 * [docId, "snapshot", sha256hex(hex heads…)]      a plain document's save
 * [docId, "incremental", sha256hex(bytes)]         a plain document's later changes
 * ["loam-secure", docId, "seq", %016x seq]         a secure document's signed item
 * </pre>
 * Everything else (sync states, the storage id, secure index entries and verification marks) is
 * kept only as keys, for a replacing restore to remove. Immutable after construction; not
 * thread-safe to build.
 */
final class StoredDocuments {
  static final String SNAPSHOT = "snapshot";
  static final String INCREMENTAL = "incremental";
  static final StorageKey STORAGE_ID_KEY = StorageKey.of("storage-adapter-id");
  private static final String SEQ = "seq";

  /** A plain document's chunks: snapshots, then incrementals, each as stored. */
  record Plain(DocumentId id, List<Chunk> snapshots, List<Chunk> incrementals) {}

  /** A secure document's items, by sequence number. */
  record Secure(DocumentId id, List<Bytes> items) {}

  private final Map<DocumentId, Plain> plain = new TreeMap<>();
  private final Map<DocumentId, Secure> secure = new TreeMap<>();
  private final List<StorageKey> keys = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /** Groups {@code chunks} (one {@code loadRange} of everything). */
  StoredDocuments(List<Chunk> chunks) {
    Map<DocumentId, List<Chunk>> snaps = new TreeMap<>();
    Map<DocumentId, List<Chunk>> incs = new TreeMap<>();
    Map<DocumentId, TreeMap<Long, Bytes>> items = new TreeMap<>();
    for (Chunk c : chunks) {
      StorageKey k = c.key();
      keys.add(k);
      if (k.size() == 4 && k.get(0).equals(SecureStore.ROOT) && k.get(2).equals(SEQ)) {
        Optional<DocumentId> id = DocumentId.tryParse(k.get(1));
        Optional<Long> seq = parseSeq(k.get(3));
        if (id.isPresent() && seq.isPresent()) {
          items.computeIfAbsent(id.get(), d -> new TreeMap<>()).put(seq.get(), c.data());
        } else {
          warnings.add("skipped secure item under " + k + ": not a document id and sequence number");
        }
      } else if (k.size() == 3 && (k.get(1).equals(SNAPSHOT) || k.get(1).equals(INCREMENTAL))) {
        Optional<DocumentId> id = DocumentId.tryParse(k.get(0));
        if (id.isEmpty()) {
          warnings.add("skipped chunk under " + k + ": not a document id");
        } else {
          (k.get(1).equals(SNAPSHOT) ? snaps : incs).computeIfAbsent(id.get(), d -> new ArrayList<>()).add(c);
        }
      }
    }
    Comparator<Chunk> byKey = Comparator.comparing(c -> c.key().toString());
    for (DocumentId id : union(snaps, incs)) {
      List<Chunk> s = new ArrayList<>(snaps.getOrDefault(id, List.of()));
      List<Chunk> i = new ArrayList<>(incs.getOrDefault(id, List.of()));
      s.sort(byKey);
      i.sort(byKey);
      plain.put(id, new Plain(id, s, i));
    }
    items.forEach((id, bySeq) -> secure.put(id, new Secure(id, List.copyOf(bySeq.values()))));
  }

  Map<DocumentId, Plain> plain() {
    return plain;
  }

  Map<DocumentId, Secure> secure() {
    return secure;
  }

  /** Every key of the snapshot, documents' or not. */
  List<StorageKey> keys() {
    return keys;
  }

  /** What could not be grouped, one line each. */
  List<String> warnings() {
    return warnings;
  }

  /**
   * Loads a plain document from its chunks as a repo does: all of them concatenated, or, if that
   * does not load, one by one skipping (with a line in {@code warnings}) those that do not.
   */
  static Document load(Plain p, List<String> warnings) {
    List<Chunk> all = new ArrayList<>(p.snapshots());
    all.addAll(p.incrementals());
    ByteArrayOutputStream concat = new ByteArrayOutputStream();
    for (Chunk c : all) {
      concat.writeBytes(c.data().toByteArray());
    }
    Document doc = Document.create(ActorId.random());
    try {
      if (!doc.loadIncremental(concat.toByteArray()).truncated()) {
        return doc;
      }
    } catch (LoamException e) {
      // below: chunk by chunk
    }
    doc = Document.create(ActorId.random());
    for (Chunk c : all) {
      try {
        if (doc.loadIncremental(c.data().toByteArray()).truncated()) {
          warnings.add("document " + p.id() + ": chunk " + c.key() + " is torn; its complete changes were kept");
        }
      } catch (LoamException e) {
        warnings.add("document " + p.id() + ": skipped chunk " + c.key() + " that does not load: " + e.getMessage());
      }
    }
    return doc;
  }

  /** The key a repo stores a snapshot of {@code heads} under. */
  static StorageKey snapshotKey(DocumentId id, Heads heads) {
    StringBuilder sb = new StringBuilder();
    for (ChangeHash h : heads) {
      sb.append(h.hex());
    }
    byte[] digest = ArchiveFormat.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).toByteArray();
    return StorageKey.of(id.toString(), SNAPSHOT, HexFormat.of().formatHex(digest));
  }

  /** The prefix of every key of a secure document. */
  static StorageKey securePrefix(DocumentId id) {
    return StorageKey.of(SecureStore.ROOT, id.toString());
  }

  private static Optional<Long> parseSeq(String hex) {
    try {
      return Optional.of(Long.parseUnsignedLong(hex, 16));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static List<DocumentId> union(Map<DocumentId, ?> a, Map<DocumentId, ?> b) {
    TreeMap<DocumentId, Boolean> all = new TreeMap<>();
    a.keySet().forEach(k -> all.put(k, true));
    b.keySet().forEach(k -> all.put(k, true));
    return List.copyOf(all.keySet());
  }
}
