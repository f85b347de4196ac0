package dev.loam.repo.id;

import dev.loam.Bytes;
import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The identity of one document in a repo: the bs58check text of its binary id, as automerge-repo
 * writes it ({@code 2j9knpCseyhnK8izDmLpGP5WMdZQ}). New ids are 16 random bytes laid out as a
 * UUID v4; ids received from peers may have any non-empty length, because automerge-repo relays
 * whatever bs58check decodes. Immutable and thread-safe.
 */
public final class DocumentId implements Comparable<DocumentId> {
  private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();

  private final Bytes bytes;
  private final String text;

  private DocumentId(Bytes bytes, String text) {
    this.bytes = bytes;
    this.text = text;
  }

  /** A new random id (a UUID v4's 16 bytes), drawn from a {@link SecureRandom}. */
  public static DocumentId random() {
    return random(DEFAULT_RANDOM);
  }

  /** A new id drawn from {@code random}; tests pass a seeded {@link Random} to get repeatable ids. */
  public static DocumentId random(RandomGenerator random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    return of(b);
  }

  /** The id whose binary form is {@code bytes} (not empty). */
  public static DocumentId of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a document id is never empty");
    }
    return new DocumentId(Bytes.of(bytes), Base58Check.encode(bytes));
  }

  /** The id of a legacy UUID document id, as automerge-repo converts them. */
  public static DocumentId of(UUID uuid) {
    return of(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
  }

  /**
   * Parses a bs58check id, an {@code automerge:} URL or a legacy UUID string (hex with dashes),
   * the forms automerge-repo's {@code interpretAsDocumentId} accepts.
   *
   * @throws IllegalArgumentException if {@code text} is none of them
   */
  public static DocumentId parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a document id, automerge: URL or UUID: '" + text + "'"));
  }

  /** Like {@link #parse} but empty instead of throwing. */
  public static Optional<DocumentId> tryParse(String text) {
    if (text.startsWith(AutomergeUrl.PREFIX)) {
      return AutomergeUrl.tryParse(text).map(AutomergeUrl::documentId);
    }
    DocumentId id = fromBs58check(text);
    if (id != null) {
      return Optional.of(id);
    }
    UUID uuid = legacyUuid(text);
    return uuid == null ? Optional.empty() : Optional.of(of(uuid));
  }

  static @Nullable DocumentId fromBs58check(String text) {
    byte[] b = Base58Check.decode(text);
    if (b == null || b.length == 0) {
      return null;
    }
    // Keep the text canonical: base58 has one spelling per byte string, so re-encoding agrees.
    return new DocumentId(Bytes.wrap(b), text);
  }

  private static @Nullable UUID legacyUuid(String text) {
    if (text.length() != 36 || !text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
      return null;
    }
    return UUID.fromString(text);
  }

  /** The binary id (16 bytes for ids automerge-repo and Loam create). */
  public Bytes bytes() {
    return bytes;
  }

  /** This id as an {@code automerge:} URL without heads. */
  public AutomergeUrl toUrl() {
    return AutomergeUrl.of(this);
  }

  /** The bs58check text, as sent on the wire and used as the first storage key. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DocumentId d && d.bytes.equals(bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public int compareTo(DocumentId o) {
    return text.compareTo(o.text);
  }
}
