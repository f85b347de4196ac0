package dev.loam.repo.id;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A link to a document, {@code automerge:<documentId>}, optionally pinned to a past state with
 * {@code #<head>|<head>…} where each head is the bs58check of a 32-byte change hash, sorted as
 * automerge-repo sorts them (by their bs58check text). Immutable and thread-safe.
 *
 * <p>automerge-repo 2.6 also allows a {@code /path} suffix naming a sub-tree; Loam keeps it as
 * an uninterpreted {@link #path()} and writes it back unchanged.
 */
public final class AutomergeUrl {
  /** The scheme every URL starts with. */
  public static final String PREFIX = "automerge:";

  private final DocumentId documentId;
  private final @Nullable String path;
  private final @Nullable Heads heads;

  private AutomergeUrl(DocumentId documentId, @Nullable String path, @Nullable Heads heads) {
    this.documentId = documentId;
    this.path = path;
    this.heads = heads;
  }

  /** The URL of the whole document {@code documentId}, without heads or path. */
  public static AutomergeUrl of(DocumentId documentId) {
    return new AutomergeUrl(documentId, null, null);
  }

  /** A URL naming the state of {@code documentId} at {@code heads}. */
  public static AutomergeUrl of(DocumentId documentId, Heads heads) {
    return new AutomergeUrl(documentId, null, heads);
  }

  /** A new URL for a new random document id. */
  public static AutomergeUrl generate() {
    return of(DocumentId.random());
  }

  /**
   * Parses {@code automerge:<id>[/<path>][#<heads>]}; also accepts a bare bs58check document id or a
   * legacy UUID, converting them as automerge-repo does.
   *
   * @throws IllegalArgumentException if {@code text} is not such a URL or id
   */
  public static AutomergeUrl parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not an automerge: URL: '" + text + "'"));
  }

  /** As {@link #parse}, empty instead of an exception. */
  public static Optional<AutomergeUrl> tryParse(String text) {
    if (!text.startsWith(PREFIX)) {
      return DocumentId.tryParse(text).map(AutomergeUrl::of);
    }
    String rest = text.substring(PREFIX.length());
    int hash = rest.indexOf('#');
    String base = hash < 0 ? rest : rest.substring(0, hash);
    String headsText = hash < 0 ? null : rest.substring(hash + 1);
    if (headsText != null && headsText.indexOf('#') >= 0) {
      return Optional.empty();
    }
    int slash = base.indexOf('/');
    String idText = slash < 0 ? base : base.substring(0, slash);
    String path = slash < 0 ? null : base.substring(slash + 1);
    DocumentId id = DocumentId.fromBs58check(idText);
    if (id == null) {
      return Optional.empty();
    }
    Heads heads = null;
    if (headsText != null) {
      List<ChangeHash> hashes = new ArrayList<>();
      if (!headsText.isEmpty()) {
        for (String head : headsText.split("\\|", -1)) {
          Optional<ChangeHash> h = decodeHead(head);
          if (h.isEmpty()) {
            return Optional.empty();
          }
          hashes.add(h.get());
        }
      }
      heads = Heads.of(hashes);
    }
    return Optional.of(new AutomergeUrl(id, path == null || path.isEmpty() ? null : path, heads));
  }

  /** The bs58check form automerge-repo uses for a head in URLs and in remote-heads messages. */
  public static String encodeHead(ChangeHash hash) {
    return Base58Check.encode(hash.toByteArray());
  }

  /** The change hash of a bs58check head, or empty if {@code head} is not one. */
  public static Optional<ChangeHash> decodeHead(String head) {
    byte[] b = Base58Check.decode(head);
    return b == null || b.length != ChangeHash.LENGTH ? Optional.empty() : Optional.of(ChangeHash.of(b));
  }

  /** The document this URL names. */
  public DocumentId documentId() {
    return documentId;
  }

  /** The heads this URL is pinned to, or empty for the current state. */
  public Optional<Heads> heads() {
    return Optional.ofNullable(heads);
  }

  /** The sub-tree path after the document id, without the leading slash, if any. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /** This URL without heads or path: the document's current state. */
  public AutomergeUrl withoutHeads() {
    return heads == null && path == null ? this : of(documentId);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(PREFIX).append(documentId);
    if (path != null) {
      sb.append('/').append(path);
    }
    if (heads != null) {
      List<String> encoded = new ArrayList<>();
      for (ChangeHash h : heads) {
        encoded.add(encodeHead(h));
      }
      encoded.sort(null);
      sb.append('#').append(String.join("|", encoded));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AutomergeUrl u && u.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
