package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creates one archive from a source: reads the source's storage at one instant, then writes each
 * document's entry (full, or what it gained since the parent chain) and the manifest. Not
 * thread-safe; one per run.
 */
final class Creator {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CreateOptions options;
  private final List<String> warnings = new ArrayList<>();
  private int full;
  private int incremental;
  private int unchanged;
  private int removed;
  private int secure;

  private Creator(CreateOptions options) {
    this.options = options;
  }

  static BackupSummary create(BackupSource source, Path out, CreateOptions options, ArchiveWriter.ChannelOpener opener) {
    return new Creator(options).run(source, out, opener);
  }

  private BackupSummary run(BackupSource source, Path out, ArchiveWriter.ChannelOpener opener) {
    Optional<UUID> parentId = Optional.empty();
    SortedMap<DocumentId, ChainReader.State> parent = new TreeMap<>();
    if (!options.since().isEmpty()) {
      ChainReader.Outcome chain = ChainReader.readParent(options.since(), options.sincePassphrase(), options.progress());
      chain.throwIfFaulty();
      parentId = Optional.of(chain.last().orElseThrow().backupId());
      parent = chain.state();
    }
    Instant created = options.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    options.progress().update(Progress.Phase.READ, 0, 1);
    StoredDocuments stored = new StoredDocuments(chunks(source));
    warnings.addAll(stored.warnings());
    options.progress().update(Progress.Phase.READ, 1, 1);

    byte[] header;
    FrameCipher cipher;
    if (options.passphrase().isPresent()) {
      Bytes salt = FrameCipher.newSalt(RANDOM);
      FrameCipher.Keys keys = FrameCipher.derive(options.passphrase().get(), salt, options.kdfIterations());
      header = new ArchiveFormat.Header(ArchiveFormat.VERSION, true, options.kdfIterations(), salt, keys.check()).encode();
      cipher = FrameCipher.encrypted(keys, header);
    } else {
      header = ArchiveFormat.Header.plain().encode();
      cipher = FrameCipher.plain(header);
    }
    TreeSet<DocumentId> ids = new TreeSet<>(stored.plain().keySet());
    ids.addAll(stored.secure().keySet());
    ids.addAll(parent.keySet());
    try (ArchiveWriter w = ArchiveWriter.open(out, header, cipher, opener)) {
      int done = 0;
      for (DocumentId id : ids) {
        options.progress().update(Progress.Phase.WRITE, done++, ids.size());
        Optional<ChainReader.State> before = Optional.ofNullable(parent.get(id));
        if (stored.secure().containsKey(id)) {
          if (stored.plain().containsKey(id)) {
            warnings.add("document " + id + " is stored both as a plain and as a secure document; backed up as secure");
          }
          secureEntry(w, stored.secure().get(id), before);
        } else if (stored.plain().containsKey(id)) {
          StoredDocuments.Plain chunks = stored.plain().get(id);
          int warned = warnings.size();
          Document doc = StoredDocuments.load(chunks, warnings);
          // a document stored as one snapshot that loads cleanly is already its compacted save
          Optional<byte[]> save = chunks.incrementals().isEmpty() && chunks.snapshots().size() == 1 && warnings.size() == warned
              && doc.missingDeps(Heads.EMPTY).isEmpty() ? Optional.of(chunks.snapshots().get(0).data().toByteArray()) : Optional.empty();
          plainEntry(w, id, doc, save, before);
        } else {
          w.listOnly(id, before.orElseThrow() instanceof ChainReader.State.Secure, ArchiveEntry.Kind.REMOVED, List.of());
          removed++;
        }
      }
      options.progress().update(Progress.Phase.WRITE, ids.size(), ids.size());
      Manifest manifest = new Manifest(ArchiveFormat.VERSION, UUID.randomUUID(), parentId, created, w.entries());
      long bytes = w.commit(manifest);
      return new BackupSummary(out, manifest.backupId(), parentId, created, ids.size() - removed, full, incremental,
          unchanged, removed, secure, w.dataBytes(), bytes, warnings);
    }
  }

  private static List<Chunk> chunks(BackupSource source) {
    return switch (source) {
      case BackupSource.OfRepo r -> {
        List<Chunk> all = new ArrayList<>();
        r.repo().backup(all::add);
        yield all;
      }
      case BackupSource.OfStorage s -> s.storage().loadRange(StorageKey.EMPTY);
    };
  }

  private void plainEntry(ArchiveWriter w, DocumentId id, Document doc, Optional<byte[]> save, Optional<ChainReader.State> before) {
    Heads heads = doc.heads();
    List<Bytes> headList = ChainReader.headsOf(heads);
    if (before.isPresent() && before.get() instanceof ChainReader.State.Plain p) {
      if (p.heads().equals(headList)) {
        w.listOnly(id, false, ArchiveEntry.Kind.UNCHANGED, headList);
        unchanged++;
        return;
      }
      Heads base = p.automergeHeads();
      if (containsAll(doc, base)) {
        w.entry(id, false, ArchiveEntry.Kind.INCREMENTAL, headList, doc.saveSince(base));
        incremental++;
        return;
      }
      // the source lost changes the parent chain holds (re-created, or replaced by a restore):
      // store it whole, so that the chain restores the source's state
    }
    w.entry(id, false, ArchiveEntry.Kind.FULL, headList, save.orElseGet(doc::save));
    full++;
  }

  private void secureEntry(ArchiveWriter w, StoredDocuments.Secure s, Optional<ChainReader.State> before) {
    secure++;
    SecureEntries.Admitted a = SecureEntries.admitted(s.id(), s.items(), warnings);
    if (before.isPresent() && before.get() instanceof ChainReader.State.Secure p
        && new HashSet<>(a.items()).containsAll(p.set())) {
      if (p.heads().equals(a.heads()) && a.items().size() == p.items().size()) {
        w.listOnly(s.id(), true, ArchiveEntry.Kind.UNCHANGED, a.heads());
        unchanged++;
        return;
      }
      List<Bytes> added = new ArrayList<>();
      Set<Bytes> had = new HashSet<>(p.set());
      for (Bytes item : a.items()) {
        if (!had.contains(item)) {
          added.add(item);
        }
      }
      w.entry(s.id(), true, ArchiveEntry.Kind.INCREMENTAL, a.heads(), SecureEntries.encode(added));
      incremental++;
      return;
    }
    w.entry(s.id(), true, ArchiveEntry.Kind.FULL, a.heads(), SecureEntries.encode(a.items()));
    full++;
  }

  private static boolean containsAll(Document doc, Heads heads) {
    for (ChangeHash h : heads) {
      if (doc.change(h).isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
