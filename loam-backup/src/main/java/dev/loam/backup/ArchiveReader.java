package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one archive and checks everything that concerns the file alone, in this order: size,
 * magics (so a truncated file is known before anything is parsed), the file checksum, the format
 * version, the passphrase, each frame's framing and decryption, the manifest's own checksum, and
 * the entries against the manifest (lengths, SHA-256, missing, extra, duplicate). Every failed
 * check becomes a {@link Fault}; a file whose checksum fails is still parsed as far as it goes, so
 * that the faults name the damaged documents. Not thread-safe; one per file.
 */
final class ArchiveReader {
  private static final int CHUNK = 1 << 20;

  /** An entry's data as found in the file. */
  record Entry(Manifest.EntryHeader header, Bytes data) {}

  /**
   * What reading one archive found.
   *
   * @param file the archive
   * @param version the version its header declares (0 if unreadable)
   * @param encrypted whether its header says it is encrypted
   * @param size its size in bytes
   * @param manifest its manifest, if that could be read
   * @param entries the entries' data by document, for those the manifest lists with data and whose checks passed
   * @param faults every failed check
   * @param passphraseMissing the archive is encrypted and no passphrase was given
   */
  record Result(Path file, int version, boolean encrypted, long size, Optional<Manifest> manifest,
                Map<DocumentId, Entry> entries, List<Fault> faults, boolean passphraseMissing) {
    /** The header and manifest as the API shows them, if the manifest was read. */
    Optional<ArchiveInfo> info() {
      return manifest.map(m -> new ArchiveInfo(file, m.version(), m.backupId(), m.parentId(), m.created(), encrypted, size,
          m.entries()));
    }

    boolean has(Fault.Check check) {
      return faults.stream().anyMatch(f -> f.check() == check);
    }

    /** Throws the typed exception for a fault that makes the file unusable as such: version, passphrase, then any. */
    void throwIfFaulty() {
      if (has(Fault.Check.FORMAT_VERSION)) {
        throw new UnsupportedFormatException(file, version);
      }
      if (has(Fault.Check.PASSPHRASE)) {
        throw new WrongPassphraseException(file, passphraseMissing);
      }
      if (!faults.isEmpty()) {
        throw new BackupCorruptException(faults);
      }
    }
  }

  private final Path file;
  private final List<Fault> faults = new ArrayList<>();
  private FileChannel channel;
  private long size;
  private int version;
  private boolean encrypted;
  private boolean passphraseMissing;
  private boolean fileChecksumOk;
  private byte[] header = new byte[0];

  private ArchiveReader(Path file) {
    this.file = file;
  }

  /**
   * Reads {@code file}: with {@code withEntries} false only as far as the manifest (for a listing).
   *
   * @throws UncheckedIOException if the file cannot be read (missing, no permission)
   */
  static Result read(Path file, Optional<Passphrase> passphrase, boolean withEntries) {
    ArchiveReader r = new ArchiveReader(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      r.channel = ch;
      return r.run(passphrase, withEntries);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such archive: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private Result run(Optional<Passphrase> passphrase, boolean withEntries) throws IOException {
    size = channel.size();
    Optional<Manifest> manifest = Optional.empty();
    Map<DocumentId, Entry> entries = new HashMap<>();
    Optional<ArchiveFormat.Trailer> trailer = framing();
    if (trailer.isPresent()) {
      Optional<FrameCipher> cipher = headerAndKeys(passphrase);
      if (cipher.isPresent()) {
        manifest = manifest(trailer.get(), cipher.get());
        if (withEntries) {
          Map<DocumentId, List<Entry>> found = frames(trailer.get(), cipher.get());
          manifest.ifPresent(m -> match(m, found, entries));
        }
      }
    }
    return new Result(file, version, encrypted, size, manifest, entries, List.copyOf(faults), passphraseMissing);
  }

  /** Size and magics, then the file checksum; empty if the file is not an archive at all. */
  private Optional<ArchiveFormat.Trailer> framing() throws IOException {
    if (size < ArchiveFormat.HEADER_LENGTH + ArchiveFormat.TRAILER_LENGTH) {
      fault(Fault.Check.FRAMING, "the file is " + size + " bytes, shorter than a header and a trailer (truncated?)");
      return Optional.empty();
    }
    header = readAt(0, ArchiveFormat.HEADER_LENGTH);
    byte[] trailerBytes = readAt(size - ArchiveFormat.TRAILER_LENGTH, ArchiveFormat.TRAILER_LENGTH);
    if (!ArchiveFormat.magicOk(header)) {
      fault(Fault.Check.FRAMING, "the file does not start with the archive magic (not a Loam backup)");
      return Optional.empty();
    }
    if (!ArchiveFormat.Trailer.endMagicOk(trailerBytes)) {
      fault(Fault.Check.FRAMING, "the file does not end with the archive's end magic (truncated or damaged)");
      return Optional.empty();
    }
    ArchiveFormat.Trailer trailer = ArchiveFormat.Trailer.decode(trailerBytes);
    Bytes computed = checksum(size - ArchiveFormat.TRAILER_UNHASHED);
    fileChecksumOk = computed.equals(trailer.sha256());
    if (!fileChecksumOk) {
      fault(Fault.Check.FILE_CHECKSUM, "SHA-256 of the file is " + computed.hex() + ", the trailer says " + trailer.sha256().hex());
    }
    return Optional.of(trailer);
  }

  /** Version and passphrase; empty if frames cannot be read. */
  private Optional<FrameCipher> headerAndKeys(Optional<Passphrase> passphrase) {
    ArchiveFormat.Header h = ArchiveFormat.Header.decode(header);
    version = h.version();
    encrypted = h.encrypted();
    int unknownFlags = ArchiveFormat.Header.flags(header) & ~1;
    if (version != ArchiveFormat.VERSION || unknownFlags != 0) {
      // a damaged version field is damage, not a newer format
      if (fileChecksumOk) {
        fault(Fault.Check.FORMAT_VERSION, unknownFlags != 0 ? "unknown header flags " + Integer.toHexString(unknownFlags)
            : "format version " + version + " (this Loam reads version " + ArchiveFormat.VERSION + ")");
      }
      return Optional.empty();
    }
    if (!encrypted) {
      return Optional.of(FrameCipher.plain(header));
    }
    if (passphrase.isEmpty()) {
      passphraseMissing = true;
      if (fileChecksumOk) {
        fault(Fault.Check.PASSPHRASE, "the archive is encrypted and no passphrase was given");
      }
      return Optional.empty();
    }
    if (h.iterations() < 1) {
      if (fileChecksumOk) {
        fault(Fault.Check.FRAMING, "an encrypted header with " + h.iterations() + " PBKDF2 iterations");
      }
      return Optional.empty();
    }
    FrameCipher.Keys keys = FrameCipher.derive(passphrase.get(), h.salt(), h.iterations());
    if (!FrameCipher.checks(keys, h.keyCheck())) {
      if (fileChecksumOk) {
        fault(Fault.Check.PASSPHRASE, "the passphrase does not open this archive (the file itself is intact)");
      }
      return Optional.empty();
    }
    return Optional.of(FrameCipher.encrypted(keys, header));
  }

  private Optional<Manifest> manifest(ArchiveFormat.Trailer trailer, FrameCipher cipher) throws IOException {
    long offset = trailer.manifestOffset();
    long end = size - ArchiveFormat.TRAILER_LENGTH;
    if (offset < ArchiveFormat.HEADER_LENGTH || offset > end - ArchiveFormat.FRAME_HEADER_LENGTH) {
      fault(Fault.Check.FRAMING, "the trailer puts the manifest at offset " + offset + ", outside the file's frames");
      return Optional.empty();
    }
    ByteBuffer fh = ByteBuffer.wrap(readAt(offset, ArchiveFormat.FRAME_HEADER_LENGTH));
    byte type = fh.get();
    long length = Integer.toUnsignedLong(fh.getInt());
    if (type != ArchiveFormat.FRAME_MANIFEST || offset + ArchiveFormat.FRAME_HEADER_LENGTH + length != end
        || length > ArchiveFormat.MAX_FRAME) {
      fault(Fault.Check.FRAMING, "the frame at offset " + offset + " is not a manifest that ends where the trailer starts");
      return Optional.empty();
    }
    long index = Integer.toUnsignedLong(trailer.frames()) - 1;
    Optional<byte[]> plain = cipher.open(type, index, readAt(offset + ArchiveFormat.FRAME_HEADER_LENGTH, (int) length));
    if (plain.isEmpty()) {
      fault(Fault.Check.DECRYPTION, "the manifest frame does not decrypt (authentication tag fails)");
      return Optional.empty();
    }
    try {
      Manifest m = Manifest.decode(plain.get());
      if (m.version() != version) {
        fault(Fault.Check.MANIFEST_CHECKSUM, "the manifest says version " + m.version() + ", the header " + version);
      }
      return Optional.of(m);
    } catch (Manifest.Unreadable e) {
      fault(Fault.Check.MANIFEST_CHECKSUM, e.getMessage());
      return Optional.empty();
    }
  }

  /** Walks every frame before the manifest: the entries found, by document, in file order. */
  private Map<DocumentId, List<Entry>> frames(ArchiveFormat.Trailer trailer, FrameCipher cipher) throws IOException {
    Map<DocumentId, List<Entry>> found = new LinkedHashMap<>();
    long pos = ArchiveFormat.HEADER_LENGTH;
    long end = Math.min(trailer.manifestOffset(), size - ArchiveFormat.TRAILER_LENGTH);
    long index = 0;
    while (pos < end) {
      if (end - pos < ArchiveFormat.FRAME_HEADER_LENGTH) {
        fault(Fault.Check.FRAMING, "a frame header at offset " + pos + " is cut off by the manifest");
        break;
      }
      ByteBuffer fh = ByteBuffer.wrap(readAt(pos, ArchiveFormat.FRAME_HEADER_LENGTH));
      byte type = fh.get();
      long length = Integer.toUnsignedLong(fh.getInt());
      long next = pos + ArchiveFormat.FRAME_HEADER_LENGTH + length;
      if (type != ArchiveFormat.FRAME_ENTRY || next > end || length > ArchiveFormat.MAX_FRAME) {
        fault(Fault.Check.FRAMING, type != ArchiveFormat.FRAME_ENTRY ? "frame " + index + " at offset " + pos + " has unknown type " + type
            : "frame " + index + " at offset " + pos + " runs past the manifest (" + length + " bytes)");
        break;
      }
      Optional<byte[]> plain = cipher.open(type, index, readAt(pos + ArchiveFormat.FRAME_HEADER_LENGTH, (int) length));
      if (plain.isEmpty()) {
        fault(Fault.Check.DECRYPTION, "entry frame " + index + " at offset " + pos + " does not decrypt (authentication tag fails)");
      } else {
        ByteBuffer in = ByteBuffer.wrap(plain.get());
        try {
          Manifest.EntryHeader h = Manifest.readEntryHeader(in);
          byte[] data = Arrays.copyOfRange(plain.get(), in.position(), plain.get().length);
          found.computeIfAbsent(h.document(), d -> new ArrayList<>()).add(new Entry(h, Bytes.wrap(data)));
        } catch (Manifest.Unreadable | RuntimeException e) {
          fault(Fault.Check.FRAMING, "entry frame " + index + " at offset " + pos + " has an unreadable header");
        }
      }
      pos = next;
      index++;
    }
    if (pos == end && index + 1 != Integer.toUnsignedLong(trailer.frames())) {
      fault(Fault.Check.FRAMING, "the file holds " + (index + 1) + " frames, the trailer says " + Integer.toUnsignedLong(trailer.frames()));
    }
    return found;
  }

  /** Entries against the manifest: each listed data entry once, with its length and SHA-256, nothing else. */
  private void match(Manifest m, Map<DocumentId, List<Entry>> found, Map<DocumentId, Entry> out) {
    Map<DocumentId, ArchiveEntry> listed = new HashMap<>();
    for (ArchiveEntry e : m.entries()) {
      if (listed.putIfAbsent(e.document(), e) != null) {
        fault(e.document(), Fault.Check.DUPLICATE_ENTRY, "the manifest lists the document twice");
      }
    }
    for (Map.Entry<DocumentId, List<Entry>> f : found.entrySet()) {
      ArchiveEntry e = listed.get(f.getKey());
      if (f.getValue().size() > 1) {
        fault(f.getKey(), Fault.Check.DUPLICATE_ENTRY, "the file holds " + f.getValue().size() + " entries for the document");
      }
      if (e == null || e.kind() == ArchiveEntry.Kind.UNCHANGED || e.kind() == ArchiveEntry.Kind.REMOVED) {
        fault(f.getKey(), Fault.Check.EXTRA_ENTRY, e == null ? "the file holds an entry the manifest does not list"
            : "the file holds data for a document the manifest lists as " + e.kind());
        continue;
      }
      Entry entry = f.getValue().get(0);
      Bytes sha = ArchiveFormat.sha256(entry.data().toByteArray());
      if (entry.header().secure() != e.secure() || entry.header().kind() != e.kind()) {
        fault(e.document(), Fault.Check.ENTRY_CHECKSUM, "the entry is " + describe(entry.header().secure(), entry.header().kind())
            + ", the manifest says " + describe(e.secure(), e.kind()));
      } else if (entry.data().size() != e.length() || !sha.equals(e.sha256())) {
        fault(e.document(), Fault.Check.ENTRY_CHECKSUM, "the entry has " + entry.data().size() + " bytes with SHA-256 " + sha.hex()
            + ", the manifest says " + e.length() + " bytes with " + e.sha256().hex());
      } else if (f.getValue().size() == 1) {
        out.put(e.document(), entry);
      }
    }
    for (ArchiveEntry e : m.entries()) {
      boolean hasData = e.kind() == ArchiveEntry.Kind.FULL || e.kind() == ArchiveEntry.Kind.INCREMENTAL;
      if (hasData && !found.containsKey(e.document())) {
        fault(e.document(), Fault.Check.MISSING_ENTRY, "the manifest lists " + e.kind() + " data the file does not hold");
      }
    }
  }

  private static String describe(boolean secure, ArchiveEntry.Kind kind) {
    return (secure ? "secure " : "plain ") + kind;
  }

  private Bytes checksum(long length) throws IOException {
    MessageDigest digest = ArchiveFormat.sha256();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long pos = 0;
    while (pos < length) {
      buf.clear().limit((int) Math.min(CHUNK, length - pos));
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException(file + " shrank while it was read");
      }
      buf.flip();
      digest.update(buf);
      pos += n;
    }
    return Bytes.wrap(digest.digest());
  }

  private byte[] readAt(long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = channel.read(buf, position + buf.position());
      if (n < 0) {
        throw new IOException(file + " shrank while it was read");
      }
    }
    return buf.array();
  }

  private void fault(Fault.Check check, String detail) {
    faults.add(new Fault(file, Optional.empty(), check, detail));
  }

  private void fault(DocumentId document, Fault.Check check, String detail) {
    faults.add(new Fault(file, Optional.of(document), check, detail));
  }
}
