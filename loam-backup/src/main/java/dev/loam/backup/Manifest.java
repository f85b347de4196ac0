package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An archive's manifest: what it holds, and its own checksum. The manifest frame's plain payload:
 *
 * <pre>
 * u16 version ‖ backup id(16) ‖ u8 has parent ‖ parent id(16, zeros if none) ‖ i64 created (ms)
 * ‖ u32 entry count ‖ entry* ‖ SHA-256(every manifest byte before it)
 * entry = u8 id length ‖ id ‖ u8 flags (bit 0: secure) ‖ u8 kind (0 full, 1 incremental,
 *         2 unchanged, 3 removed) ‖ u16 head count ‖ head(32)* ‖ u64 length ‖ SHA-256(data)(32)
 * </pre>
 *
 * @param version the format version
 * @param backupId this backup's id
 * @param parentId the parent backup's id, or empty for a full backup
 * @param created the creation time, to the millisecond
 * @param entries one per document, sorted by id
 */
record Manifest(int version, UUID backupId, Optional<UUID> parentId, Instant created, List<ArchiveEntry> entries) {
  static final int HEAD_LENGTH = 32;
  private static final ArchiveEntry.Kind[] KINDS = ArchiveEntry.Kind.values();

  Manifest {
    entries = List.copyOf(entries);
  }

  /** Why a manifest could not be read: its checksum or its structure. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeShort(version);
      uuid(out, backupId);
      out.writeByte(parentId.isPresent() ? 1 : 0);
      uuid(out, parentId.orElse(new UUID(0, 0)));
      out.writeLong(created.toEpochMilli());
      out.writeInt(entries.size());
      for (ArchiveEntry e : entries) {
        writeEntryHeader(out, e.document(), e.secure(), e.kind());
        out.writeShort(e.heads().size());
        for (Bytes h : e.heads()) {
          out.write(h.toByteArray());
        }
        out.writeLong(e.length());
        out.write(e.sha256().toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    byte[] all = Arrays.copyOf(body, body.length + 32);
    System.arraycopy(ArchiveFormat.sha256(body).toByteArray(), 0, all, body.length, 32);
    return all;
  }

  /** The document id, flags and kind that start an entry frame's payload and a manifest entry. */
  static void writeEntryHeader(DataOutputStream out, DocumentId id, boolean secure, ArchiveEntry.Kind kind) throws IOException {
    byte[] idBytes = id.bytes().toByteArray();
    out.writeByte(idBytes.length);
    out.write(idBytes);
    out.writeByte(secure ? 1 : 0);
    out.writeByte(kind.ordinal());
  }

  /** The start of an entry frame or manifest entry, as read back. */
  record EntryHeader(DocumentId document, boolean secure, ArchiveEntry.Kind kind) {}

  static EntryHeader readEntryHeader(ByteBuffer in) throws Unreadable {
    int idLength = Byte.toUnsignedInt(in.get());
    byte[] id = new byte[idLength];
    in.get(id);
    DocumentId document;
    try {
      document = DocumentId.of(id);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("a document id of " + idLength + " bytes is not valid");
    }
    int flags = Byte.toUnsignedInt(in.get());
    int kind = Byte.toUnsignedInt(in.get());
    if (flags > 1 || kind >= KINDS.length) {
      throw new Unreadable("unknown entry flags " + flags + " or kind " + kind);
    }
    return new EntryHeader(document, flags == 1, KINDS[kind]);
  }

  /** Reads a manifest payload, checking its own checksum first. */
  static Manifest decode(byte[] payload) throws Unreadable {
    if (payload.length < 32) {
      throw new Unreadable("the manifest is " + payload.length + " bytes, shorter than its checksum");
    }
    Bytes stored = Bytes.wrap(Arrays.copyOfRange(payload, payload.length - 32, payload.length));
    Bytes computed = ArchiveFormat.sha256(Arrays.copyOf(payload, payload.length - 32));
    if (!stored.equals(computed)) {
      throw new Unreadable("the manifest's SHA-256 is " + computed.hex() + ", its stored checksum " + stored.hex());
    }
    ByteBuffer in = ByteBuffer.wrap(payload, 0, payload.length - 32);
    try {
      int version = Short.toUnsignedInt(in.getShort());
      UUID id = new UUID(in.getLong(), in.getLong());
      boolean hasParent = in.get() == 1;
      UUID parent = new UUID(in.getLong(), in.getLong());
      Instant created = Instant.ofEpochMilli(in.getLong());
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / 40) {
        throw new Unreadable("an entry count of " + Integer.toUnsignedString(count) + " does not fit the manifest");
      }
      List<ArchiveEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        EntryHeader h = readEntryHeader(in);
        int heads = Short.toUnsignedInt(in.getShort());
        List<Bytes> hs = new ArrayList<>(heads);
        for (int j = 0; j < heads; j++) {
          byte[] head = new byte[HEAD_LENGTH];
          in.get(head);
          hs.add(Bytes.wrap(head));
        }
        long length = in.getLong();
        byte[] sha = new byte[32];
        in.get(sha);
        if (length < 0) {
          throw new Unreadable("entry " + i + " has a negative length");
        }
        entries.add(new ArchiveEntry(h.document(), h.secure(), h.kind(), hs, length, Bytes.wrap(sha)));
      }
      if (in.hasRemaining()) {
        throw new Unreadable(in.remaining() + " bytes follow the manifest's last entry");
      }
      return new Manifest(version, id, hasParent ? Optional.of(parent) : Optional.empty(), created, entries);
    } catch (BufferUnderflowException e) {
      throw new Unreadable("the manifest ends inside an entry");
    }
  }

  private static void uuid(DataOutputStream out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }
}
