package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged archive is always detected and never restored: every bit flip, every truncation,
 * missing, extra and duplicate entries, a manifest that lies, an unknown version; each fault is
 * named, and a restore of a damaged archive leaves the target untouched.
 */
class ArchiveFaultTest {
  @TempDir Path dir;
  Path archive;
  byte[] bytes;
  List<DocumentId> ids = new ArrayList<>();

  @BeforeEach
  void smallArchive() throws IOException {
    archive = dir.resolve("small.loambak");
    try (Repo source = Fixtures.repo(new InMemoryStorageAdapter())) {
      for (int i = 0; i < 3; i++) {
        DocHandle h = source.create();
        Fixtures.put(h, "n", "document " + i);
        ids.add(h.documentId());
      }
      Backup.create(BackupSource.of(source), archive, CreateOptions.full());
    }
    bytes = Files.readAllBytes(archive);
  }

  private VerifyReport verifyBytes(byte[] content) throws IOException {
    Path p = dir.resolve("damaged.loambak");
    Files.write(p, content);
    return Backup.verify(List.of(p), Optional.empty());
  }

  private Set<Fault.Check> checks(VerifyReport r) {
    return r.faults().stream().map(Fault::check).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theUndamagedArchivePasses() throws IOException {
    assertTrue(verifyBytes(bytes).ok());
  }

  @Test
  void everySingleBitFlipAnywhereInTheFileFailsVerification() throws IOException {
    Path one = dir.resolve("one.loambak");
    try (Repo source = Fixtures.repo(new InMemoryStorageAdapter())) {
      Fixtures.put(source.create(), "n", "the only document");
      Backup.create(BackupSource.of(source), one, CreateOptions.full());
    }
    byte[] bytes = Files.readAllBytes(one);
    Path p = dir.resolve("flipped.loambak");
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(p, flipped);
      VerifyReport r = Backup.verify(List.of(p), Optional.empty());
      assertFalse(r.ok(), "flipping bit " + bit + " (byte " + bit / 8 + " of " + bytes.length + ") went unnoticed");
    }
  }

  @Test
  void truncationAtRandomOffsetsIsFramingBeforeAnythingIsParsed() throws IOException {
    TestSeeds.seeds().forEach(seed -> {
      Random random = new Random(seed);
      int length = random.nextInt(bytes.length);
      try {
        VerifyReport r = verifyBytes(java.util.Arrays.copyOf(bytes, length));
        assertEquals(Set.of(Fault.Check.FRAMING), checks(r), TestSeeds.seedMessage(seed) + ": cut at " + length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void aFlipInsideAnEntryNamesTheDocumentAndTheEntryChecksum() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    // the data of the first entry starts after its id length, id, flags and kind
    byte[] payload = a.frames.get(0).payload();
    int dataStart = 1 + payload[0] + 2;
    for (int i = dataStart; i < payload.length; i += 7) {
      byte[] damaged = bytes.clone();
      damaged[64 + 5 + i] ^= 0x10;
      VerifyReport r = verifyBytes(damaged);
      assertTrue(checks(r).contains(Fault.Check.FILE_CHECKSUM), "byte " + i);
      DocumentId first = DocumentId.of(java.util.Arrays.copyOfRange(payload, 1, 1 + payload[0]));
      assertTrue(r.faults().stream().anyMatch(f -> f.check() == Fault.Check.ENTRY_CHECKSUM
          && f.document().equals(Optional.of(first))), "byte " + i + ": " + r.faults());
    }
  }

  @Test
  void aFlipInsideTheManifestIsTheManifestChecksum() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    int manifestStart = bytes.length - 56 - a.manifest().payload().length;
    for (int i = manifestStart; i < bytes.length - 56; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 0x01;
      Set<Fault.Check> found = checks(verifyBytes(damaged));
      assertTrue(found.contains(Fault.Check.FILE_CHECKSUM) && found.contains(Fault.Check.MANIFEST_CHECKSUM),
          "byte " + i + ": " + found);
    }
  }

  @Test
  void aMissingEntryIsNamedEvenWhenTheFileChecksumIsMadeRight() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    ArchiveSurgery.Frame dropped = a.frames.remove(1);
    VerifyReport r = verifyBytes(a.build());
    assertEquals(Set.of(Fault.Check.MISSING_ENTRY), checks(r), r.faults().toString());
    assertEquals(Optional.of(idOf(dropped)), r.faults().get(0).document());
  }

  @Test
  void aDuplicateEntryIsNamed() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    a.frames.add(1, a.frames.get(0));
    VerifyReport r = verifyBytes(a.build());
    assertEquals(Set.of(Fault.Check.DUPLICATE_ENTRY), checks(r), r.faults().toString());
    assertEquals(Optional.of(idOf(a.frames.get(0))), r.faults().get(0).document());
  }

  @Test
  void anExtraEntryIsNamed() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    byte[] payload = a.frames.get(0).payload().clone();
    DocumentId stranger = DocumentId.random();
    System.arraycopy(stranger.bytes().toByteArray(), 0, payload, 1, payload[0]);
    a.frames.add(0, new ArchiveSurgery.Frame(1, payload));
    VerifyReport r = verifyBytes(a.build());
    assertEquals(Set.of(Fault.Check.EXTRA_ENTRY), checks(r), r.faults().toString());
    assertEquals(Optional.of(stranger), r.faults().get(0).document());
  }

  @Test
  void anEntryWhoseDataMatchesAManifestThatLiesAboutItsHeadsFailsTheHeadsCheck() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    byte[] m = a.manifest().payload().clone();
    // the first entry's first head: after version(2) id(16) flag(1) parent(16) created(8) count(4),
    // the entry's id length, id, flags, kind and head count(2)
    int entry = 2 + 16 + 1 + 16 + 8 + 4;
    int head = entry + 1 + m[entry] + 1 + 1 + 2;
    m[head] ^= 0x01;
    a.frames.set(a.frames.size() - 1, new ArchiveSurgery.Frame(2, ArchiveSurgery.resealManifest(m)));
    VerifyReport r = verifyBytes(a.build());
    assertEquals(Set.of(Fault.Check.HEADS), checks(r), r.faults().toString());
  }

  @Test
  void anEntryThatIsNotAutomergeFailsTheLoadCheck() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    byte[] junk = new byte[a.frames.get(0).payload().length - a.dataStart(0)];
    java.util.Arrays.fill(junk, (byte) 0xA5);
    a.replaceFirstEntryData(junk);
    VerifyReport r = verifyBytes(a.build());
    assertEquals(Set.of(Fault.Check.DOCUMENT_LOADS), checks(r), r.faults().toString());
  }

  @Test
  void anUnknownFormatVersionIsRefusedAsSuch() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(bytes);
    a.header[9] = 2; // version 2, big-endian u16 at offset 8
    Path p = dir.resolve("v2.loambak");
    Files.write(p, a.build());
    VerifyReport r = Backup.verify(List.of(p), Optional.empty());
    assertEquals(Set.of(Fault.Check.FORMAT_VERSION), checks(r));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Backup.list(p, Optional.empty()));
    assertEquals(2, e.version());
    assertThrows(UnsupportedFormatException.class,
        () -> Backup.restore(List.of(p), new InMemoryStorageAdapter(), RestoreOptions.merge()));
  }

  @Test
  void aDamagedArchiveIsNeverRestoredAndTheTargetIsUntouched() throws IOException {
    StorageAdapter target = new InMemoryStorageAdapter();
    try (Repo r = Fixtures.repo(target)) {
      Fixtures.put(r.create(), "mine", "kept");
    }
    Map<?, String> before = Fixtures.contents(target);
    byte[] damaged = bytes.clone();
    damaged[bytes.length / 2] ^= 0x40;
    Path p = dir.resolve("damaged.loambak");
    Files.write(p, damaged);
    BackupCorruptException e = assertThrows(BackupCorruptException.class,
        () -> Backup.restore(List.of(p), target, RestoreOptions.replace()));
    assertTrue(e.faults().stream().anyMatch(f -> f.check() == Fault.Check.FILE_CHECKSUM));
    assertEquals(before, Fixtures.contents(target));
  }

  private static DocumentId idOf(ArchiveSurgery.Frame f) {
    return DocumentId.of(java.util.Arrays.copyOfRange(f.payload(), 1, 1 + f.payload()[0]));
  }
}
